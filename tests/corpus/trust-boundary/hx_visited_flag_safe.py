# Only constants and counters go into the session.
# expect: none
from flask import Flask, request, session

app = Flask(__name__)


@app.get("/tour")
def tour():
    step = request.args.get("step", "1")
    session["seen_tour"] = True
    session["visits"] = session.get("visits", 0) + 1
    return {"step": step}
