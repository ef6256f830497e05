# switch_tenant (flask-header, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/trust-boundary line=13
from flask import Flask, request
from flask import session
import html

app = Flask(__name__)

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    tenant = html.escape(tenant)
    session["tenant"] = "tenant-" + tenant
    return {"status": "ok"}
