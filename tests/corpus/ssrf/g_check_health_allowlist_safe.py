# check_health (flask-cookie, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import httpx

app = Flask(__name__)
ALLOWED_HOSTS = frozenset({"alpha", "beta", "main"})

@app.route("/health")
def check_health():
    host = request.cookies.get("host", "")
    if host not in ALLOWED_HOSTS:
        raise ValueError("unsupported host")
    host = host.strip()
    status = httpx.get("https://" + host + "/health").status_code
    return {"status": "ok"}
