# check_health (flask-cookie, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ssrf line=14
from flask import Flask, request
import httpx
import html

app = Flask(__name__)

@app.route("/health")
def check_health():
    host = request.cookies.get("host", "")
    host = html.escape(host)
    host = host.strip()
    status = httpx.get("https://" + host + "/health").status_code
    return {"status": "ok"}
