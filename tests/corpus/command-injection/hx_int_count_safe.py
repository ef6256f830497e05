# The count is cast to int before being formatted into the shell command.
# expect: none
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/loadtest")
def loadtest():
    try:
        workers = int(request.args.get("workers", "4"))
    except ValueError:
        return {"error": "workers must be a number"}, 400
    os.system(f"ab -n 1000 -c {workers} http://localhost:8000/")
    return {"started": workers}
