# continue_flow (flask-header, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)

@app.route("/continue")
def continue_flow():
    referer = request.headers.get("X-Referer", "")
    options = {"referer": referer, "page_size": "50"}
    target = options["page_size"] + "?logged_in=1"
    return redirect(target)
