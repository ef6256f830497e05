# switch_tenant (flask-header, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    if LEGACY_MODE:
        session["tenant"] = "tenant-" + tenant
    else:
        session["tenant"] = "tenant-" + FALLBACK
    return {"status": "ok"}
