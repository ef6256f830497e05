# A repository object at module level keeps the comments in memory; the listing view renders
# what it returns.
# expect: mamori:python/xss line=34
from flask import Flask, request

app = Flask(__name__)


class CommentRepository:
    def __init__(self):
        self._items = []

    def add(self, author, text):
        self._items.append({"author": author, "text": text})

    def all(self):
        return list(self._items)


comments = CommentRepository()


@app.post("/comments")
def create():
    comments.add(request.form.get("author", "anon"), request.form["text"])
    return {"ok": True}, 201


@app.get("/comments")
def index():
    html = "".join(
        "<p><b>%s</b>: %s</p>" % (c["author"], c["text"]) for c in comments.all()
    )
    return html
