# check_health (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import httpx

app = Flask(__name__)

@app.route("/health")
def check_health():
    host = request.cookies.get("host", "")
    options = {"host": host, "page_size": "50"}
    status = httpx.get("https://" + options["page_size"] + "/health").status_code
    return {"status": "ok"}
