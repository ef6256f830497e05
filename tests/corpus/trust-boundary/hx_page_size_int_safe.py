# Page size parsed as int and clamped before it is remembered.
# expect: none
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/prefs/page-size")
def page_size():
    size = request.form.get("size", 20, type=int)
    session["page_size"] = max(10, min(size, 100))
    return {"page_size": session["page_size"]}
