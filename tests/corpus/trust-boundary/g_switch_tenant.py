# switch_tenant (flask-header, direct): untrusted request data reaches the sink
# expect: mamori:python/trust-boundary line=11
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    session["tenant"] = "tenant-" + tenant
    return {"status": "ok"}
