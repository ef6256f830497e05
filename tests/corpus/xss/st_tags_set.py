# Tags collected in a module-level set from a JSON API and listed as HTML links.
# expect: mamori:python/xss line=19
from flask import Flask, request

app = Flask(__name__)

TAGS = set()


@app.route("/api/tags", methods=["POST"])
def add_tag():
    TAGS.add(request.get_json()["tag"])
    return {"count": len(TAGS)}


@app.route("/tags")
def tag_cloud():
    links = ['<a href="/tags/{0}">{0}</a>'.format(t) for t in sorted(TAGS)]
    return " ".join(links)
