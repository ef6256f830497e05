# check_health (flask-cookie, strip): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import httpx

app = Flask(__name__)

@app.route("/health")
def check_health():
    host = request.cookies.get("host", "")
    host = host.strip()
    status = httpx.get(f"https://monitor.example.com/health/{host}").status_code
    return {"status": "ok"}
