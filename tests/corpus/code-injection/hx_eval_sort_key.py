# Sorting helper builds a key function from the query string with eval.
# expect: mamori:python/code-injection line=10
from flask import Flask, jsonify, request

app = Flask(__name__)
PRODUCTS = [{"name": "a", "price": 3}, {"name": "b", "price": 1}]


def make_key(field: str):
    return eval("lambda p: p['" + field + "']")


@app.get("/products")
def products():
    key = make_key(request.args.get("sort", "name"))
    return jsonify(sorted(PRODUCTS, key=key))
