# operator.itemgetter instead of eval for a dynamic sort key, checked against known fields.
# expect: none
import operator

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
PRODUCTS = [{"name": "a", "price": 3}, {"name": "b", "price": 1}]
FIELDS = {"name", "price"}


@app.get("/products")
def products():
    field = request.args.get("sort", "name")
    if field not in FIELDS:
        abort(400)
    return jsonify(sorted(PRODUCTS, key=operator.itemgetter(field)))
