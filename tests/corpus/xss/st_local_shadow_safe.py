# The view builds a local list that happens to share the global's name; the module-level list
# rendered by the other view is never written.
# expect: none
from flask import Flask, request

app = Flask(__name__)

RECENT = ["welcome", "release notes"]


@app.route("/preview", methods=["POST"])
def preview():
    RECENT = []
    RECENT.append(request.form["title"])
    return {"length": len(RECENT)}


@app.route("/recent")
def recent():
    return "<ul>" + "".join(f"<li>{r}</li>" for r in RECENT) + "</ul>"
