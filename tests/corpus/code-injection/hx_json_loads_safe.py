# Filters parsed with json.loads instead of eval.
# expect: none
import json

from flask import Flask, request

app = Flask(__name__)


@app.get("/search")
def search():
    try:
        filters = json.loads(request.args.get("filters", "{}"))
    except json.JSONDecodeError:
        return {"error": "bad filters"}, 400
    return {"filters": filters}
