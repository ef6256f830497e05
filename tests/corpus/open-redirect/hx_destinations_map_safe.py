# The parameter picks one of a fixed set of destinations.
# expect: none
from flask import Flask, redirect, request

app = Flask(__name__)
DESTINATIONS = {
    "docs": "https://docs.example.com/",
    "status": "https://status.example.com/",
}


@app.get("/go")
def go():
    key = request.args.get("to", "docs")
    return redirect(DESTINATIONS.get(key, "/"))
