# Constant code string; user data only goes into the namespace as a value.
# expect: none
from flask import Flask, request

app = Flask(__name__)
DISCOUNT_CODE = "result = price * 0.9 if price > 100 else price"


@app.post("/discount")
def discount():
    namespace = {"price": float(request.form.get("price", "0"))}
    exec(DISCOUNT_CODE, {}, namespace)
    return {"price": namespace["result"]}
