# API keys built from random.randint digits.
# expect: mamori:python/insecure-random line=12
import random

from flask import Blueprint

keys_bp = Blueprint("keys", __name__)


@keys_bp.post("/api-keys")
def create_api_key():
    api_key = "ak_" + "".join(str(random.randint(0, 9)) for _ in range(24))
    return {"api_key": api_key}, 201
