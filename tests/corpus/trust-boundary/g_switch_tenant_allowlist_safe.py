# switch_tenant (flask-header, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
ALLOWED_TENANTS = frozenset({"alpha", "beta", "main"})

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    if tenant not in ALLOWED_TENANTS:
        raise ValueError("unsupported tenant")
    session["tenant"] = "tenant-" + tenant
    return {"status": "ok"}
