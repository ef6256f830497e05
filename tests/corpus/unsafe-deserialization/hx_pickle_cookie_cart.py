# Shopping cart kept client-side as a base64 pickle in a cookie.
# expect: mamori:python/unsafe-deserialization line=15
import base64
import pickle

from flask import Flask, request

app = Flask(__name__)


def load_cart() -> list:
    raw = request.cookies.get("cart")
    if not raw:
        return []
    return pickle.loads(base64.urlsafe_b64decode(raw))


@app.get("/cart")
def cart():
    return {"items": load_cart()}
