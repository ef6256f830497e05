# check_health (flask-cookie, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import httpx

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/health")
def check_health():
    host = request.cookies.get("host", "")
    host = host.strip()
    if LEGACY_MODE:
        status = httpx.get("https://" + host + "/health").status_code
    else:
        status = httpx.get("https://" + FALLBACK + "/health").status_code
    return {"status": "ok"}
