# switch_tenant (flask-header, direct): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    tenant = int(tenant)
    session["tenant"] = "tenant-" + tenant
    return {"status": "ok"}
