# claim_cart (flask-json, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
ALLOWED_OWNERS = frozenset({"alpha", "beta", "main"})

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    if owner not in ALLOWED_OWNERS:
        raise ValueError("unsupported owner")
    owner = owner.strip()
    session["cart_owner"] = owner.lower()
    return {"status": "ok"}
