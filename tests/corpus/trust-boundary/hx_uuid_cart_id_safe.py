# Cart id in the session is generated on the server.
# expect: none
import uuid

from flask import Flask, request, session

app = Flask(__name__)


@app.post("/cart/items")
def add_item():
    session.setdefault("cart_id", str(uuid.uuid4()))
    item = request.form.get("sku", "")
    return {"cart": session["cart_id"], "added": item}
