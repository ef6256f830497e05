# random for retry back-off jitter: not a security value.
# expect: none
import random
import time


def backoff(attempt: int) -> None:
    delay = min(30, 2 ** attempt) + random.uniform(0, 1)
    time.sleep(delay)
