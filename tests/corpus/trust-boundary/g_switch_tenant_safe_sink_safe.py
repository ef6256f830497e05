# switch_tenant (flask-header, direct): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    session["tenant_len"] = len(tenant)
    return {"status": "ok"}
