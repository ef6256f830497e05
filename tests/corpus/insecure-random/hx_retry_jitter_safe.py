# Random jitter for retrying a flaky upstream call.
# expect: none
import random
import time

import requests


def fetch_with_retry(url: str, attempts: int = 5) -> bytes:
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=5).content
        except requests.RequestException:
            time.sleep(2 ** attempt + random.random())
    raise RuntimeError("upstream unavailable")
