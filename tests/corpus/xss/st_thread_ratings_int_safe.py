# Ratings grouped per thread in a module-level dict of lists hold integers only.
# expect: none
from flask import Flask, request

app = Flask(__name__)

RATINGS = {}


@app.post("/threads/<int:thread_id>/rate")
def rate(thread_id):
    stars = int(request.form["stars"])
    RATINGS.setdefault(thread_id, []).append(stars)
    return "", 201


@app.get("/threads/<int:thread_id>/rating")
def rating(thread_id):
    votes = RATINGS.get(thread_id, [])
    cells = "".join("<td>%s</td>" % v for v in votes)
    return "<table><tr>" + cells + "</tr></table>"
