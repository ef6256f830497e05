# check_health (flask-cookie, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import httpx

app = Flask(__name__)
DEFAULT_HOST = "default"

@app.route("/health")
def check_health():
    host = request.cookies.get("host", "")
    # The client-supplied host is no longer honoured; the default always applies.
    host = DEFAULT_HOST
    host = host.strip()
    status = httpx.get("https://" + host + "/health").status_code
    return {"status": "ok"}
