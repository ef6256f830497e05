from flask import Flask, request

app = Flask(__name__)
COMMENTS = []


def render_comments(comments):
    items = "".join("<li>%s</li>" % c for c in comments)
    return "<ul class='comments'>" + items + "</ul>"


@app.post("/comments")
def add_comment():
    COMMENTS.append(request.form["text"])
    return "", 201


@app.get("/comments")
def list_comments():
    return render_comments(COMMENTS)
