# check_health (flask-cookie, strip): untrusted request data reaches the sink
# expect: mamori:python/ssrf line=12
from flask import Flask, request
import httpx

app = Flask(__name__)

@app.route("/health")
def check_health():
    host = request.cookies.get("host", "")
    host = host.strip()
    status = httpx.get("https://" + host + "/health").status_code
    return {"status": "ok"}
