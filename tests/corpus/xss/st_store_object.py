# A small in-memory store object at module level: one view adds a note to it, another lists
# the notes as HTML.
# expect: mamori:python/xss line=31
from flask import Flask, request

app = Flask(__name__)


class NoteStore:
    def __init__(self):
        self.notes = []

    def add(self, note):
        self.notes.append(note)


STORE = NoteStore()


@app.post("/notes")
def create_note():
    STORE.add(request.form["note"])
    return "created", 201


@app.get("/notes")
def list_notes():
    out = "<ol>"
    for n in STORE.notes:
        out += "<li>" + n + "</li>"
    return out + "</ol>"
