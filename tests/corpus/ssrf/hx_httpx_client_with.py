# httpx.Client used as a context manager to fetch a URL from the form.
# expect: mamori:python/ssrf line=13
import httpx
from flask import Flask, request

app = Flask(__name__)


@app.post("/fetch")
def fetch():
    target = request.form["target"]
    with httpx.Client(timeout=5) as client:
        r = client.get(target)
    return {"status": r.status_code}
