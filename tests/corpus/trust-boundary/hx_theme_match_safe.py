# The theme is matched to a known value before being stored.
# expect: none
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/theme")
def theme():
    match request.form.get("theme"):
        case "dark":
            session["theme"] = "dark"
        case _:
            session["theme"] = "light"
    return {"theme": session["theme"]}
