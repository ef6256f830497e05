# API keys generated with random.choice.
# expect: mamori:python/insecure-random line=10
import random
import string

ALPHABET = string.ascii_letters + string.digits


def new_api_key() -> str:
    api_key = "".join(random.choice(ALPHABET) for _ in range(32))
    return api_key
