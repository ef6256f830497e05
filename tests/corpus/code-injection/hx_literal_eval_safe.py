# Settings values parsed with ast.literal_eval, which only accepts literals.
# expect: none
import ast

from flask import Flask, request

app = Flask(__name__)


@app.post("/settings")
def update_settings():
    raw = request.form.get("value", "None")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return {"error": "not a literal"}, 400
    return {"stored": value}
