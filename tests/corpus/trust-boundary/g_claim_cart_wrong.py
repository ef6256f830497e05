# claim_cart (flask-json, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/trust-boundary line=15
from flask import Flask, request
from flask import session
import html

app = Flask(__name__)

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    owner = html.escape(owner)
    owner = owner.strip()
    session["cart_owner"] = owner.lower()
    return {"status": "ok"}
