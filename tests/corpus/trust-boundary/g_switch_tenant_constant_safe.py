# switch_tenant (flask-header, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
DEFAULT_TENANT = "default"

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    # The client-supplied tenant is no longer honoured; the default always applies.
    tenant = DEFAULT_TENANT
    session["tenant"] = "tenant-" + tenant
    return {"status": "ok"}
