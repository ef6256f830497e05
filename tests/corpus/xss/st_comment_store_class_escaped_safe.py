# The repository escapes every field when it stores a comment: what the listing view renders
# is safe.
# expect: none
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


class CommentRepository:
    def __init__(self):
        self._items = []

    def add(self, author, text):
        self._items.append({"author": escape(author), "text": escape(text)})

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
