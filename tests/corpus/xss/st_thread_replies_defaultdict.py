# Replies grouped per thread in a module-level defaultdict; the thread page renders them.
# expect: mamori:python/xss line=22
from collections import defaultdict

from flask import Flask, request

app = Flask(__name__)

REPLIES = defaultdict(list)


@app.post("/threads/<int:thread_id>/replies")
def reply(thread_id):
    REPLIES[thread_id].append(request.form["reply"])
    return "", 201


@app.get("/threads/<int:thread_id>")
def thread(thread_id):
    parts = ["<h2>Thread %d</h2>" % thread_id]
    parts.extend("<blockquote>%s</blockquote>" % r for r in REPLIES[thread_id])
    return "\n".join(parts)
