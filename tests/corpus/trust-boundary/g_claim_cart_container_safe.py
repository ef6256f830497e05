# claim_cart (flask-json, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/cart/claim", methods=["POST"])
def claim_cart():
    payload = request.get_json(force=True)
    owner = payload.get("owner", "")
    options = {"owner": owner, "page_size": "50"}
    session["cart_owner"] = options["page_size"].lower()
    return {"status": "ok"}
