# claim_cart (flask-json, strip): untrusted request data reaches the sink
# expect: mamori:python/trust-boundary line=13
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    owner = owner.strip()
    session["cart_owner"] = owner.lower()
    return {"status": "ok"}
