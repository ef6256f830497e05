# The module-level set of tags is only ever filled with names from the code's own table.
# expect: none
from flask import Flask, request

app = Flask(__name__)

TAGS = set()
KNOWN = {"python": "Python", "web": "Web", "sec": "Security"}


@app.route("/api/tags", methods=["POST"])
def add_tag():
    key = request.get_json()["tag"]
    if key in KNOWN:
        TAGS.add(KNOWN[key])
    TAGS.add("all")
    return {"count": len(TAGS)}


@app.route("/tags")
def tag_cloud():
    links = ['<a href="/tags/{0}">{0}</a>'.format(t) for t in sorted(TAGS)]
    return " ".join(links)
