# Pricing rules: a formula from the form is turned into a lambda with eval.
# expect: mamori:python/code-injection line=12
from flask import Flask, request

app = Flask(__name__)


@app.post("/pricing/preview")
def pricing_preview():
    formula = request.form["formula"]
    price = float(request.form.get("price", "10"))
    fn = eval(f"lambda price: {formula}")
    return {"price": fn(price)}
