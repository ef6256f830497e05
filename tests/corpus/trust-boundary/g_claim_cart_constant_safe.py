# claim_cart (flask-json, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
DEFAULT_OWNER = "default"

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    # The client-supplied owner is no longer honoured; the default always applies.
    owner = DEFAULT_OWNER
    owner = owner.strip()
    session["cart_owner"] = owner.lower()
    return {"status": "ok"}
