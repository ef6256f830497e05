# continue_flow (flask-header, strip): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)

@app.route("/continue")
def continue_flow():
    referer = request.headers.get("X-Referer", "")
    referer = referer.strip()
    target = "/home?from=" + referer
    return redirect(target)
