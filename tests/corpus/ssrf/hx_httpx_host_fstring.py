# Health check against a host name from the query string, using httpx.
# expect: mamori:python/ssrf line=12
import httpx
from flask import Flask, request

app = Flask(__name__)


@app.get("/health/remote")
def remote_health():
    host = request.args.get("host", "localhost")
    r = httpx.get(f"http://{host}:8080/healthz", timeout=3.0)
    return {"up": r.status_code == 200}
