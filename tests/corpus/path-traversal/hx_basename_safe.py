# Only the final component of the requested name is used.
# expect: none
import os

from flask import Flask, request

app = Flask(__name__)
REPORTS = "/srv/reports"


@app.get("/report")
def report():
    name = os.path.basename(request.args.get("name", ""))
    with open(os.path.join(REPORTS, name), "rb") as fh:
        return fh.read(), 200, {"Content-Type": "application/pdf"}
