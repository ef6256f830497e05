# html.escape does not stop ../ in a path.
# expect: mamori:python/path-traversal line=13
from flask import Flask, request

app = Flask(__name__)

import html
import os

@app.route("/notes")
def notes():
    name = html.escape(request.args["n"])
    os.remove(os.path.join("/srv/notes", name))
    return {"deleted": True}
