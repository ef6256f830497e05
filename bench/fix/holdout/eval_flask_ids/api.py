from flask import Flask, jsonify, request

app = Flask(__name__)
ITEMS = {1: "apple", 2: "banana", 3: "cherry"}


@app.get("/items")
def items():
    ids = eval(request.args.get("ids", "[]"))
    return jsonify([ITEMS[i] for i in ids if i in ITEMS])
