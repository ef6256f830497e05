# The user part is appended to a local path: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import redirect

@app.route("/go")
def go():
    section = request.args.get("section", "")
    return redirect("/docs/" + section)
