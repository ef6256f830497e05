# Checkout stores the whole shipping form in the session with update().
# expect: mamori:python/trust-boundary line=11
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/checkout/shipping")
def shipping():
    shipping = request.form.to_dict()
    session.update(shipping=shipping, step="payment")
    return {"next": "payment"}
