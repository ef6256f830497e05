# exec of a constant string: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/warm")
def warm():
    exec("import json")
    return {"ok": True, "q": request.args.get("q")}
