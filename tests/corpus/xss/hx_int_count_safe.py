# Counter value parsed as int before being put into the page.
# expect: none
from flask import Flask, request

app = Flask(__name__)


@app.get("/counter")
def counter():
    try:
        n = int(request.args.get("n", "0"))
    except ValueError:
        n = 0
    return f"<p>You clicked {n} times</p>"
