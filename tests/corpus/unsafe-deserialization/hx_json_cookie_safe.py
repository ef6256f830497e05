# Cart cookie parsed as JSON instead of pickle.
# expect: none
import base64
import json

from flask import Flask, request

app = Flask(__name__)


@app.get("/cart")
def cart():
    raw = request.cookies.get("cart", "")
    items = json.loads(base64.urlsafe_b64decode(raw or "W10=")) if raw else []
    return {"items": items}
