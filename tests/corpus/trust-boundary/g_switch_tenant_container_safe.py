# switch_tenant (flask-header, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/tenant")
def switch_tenant():
    tenant = request.headers.get("X-Tenant", "")
    options = {"tenant": tenant, "page_size": "50"}
    session["tenant"] = "tenant-" + options["page_size"]
    return {"status": "ok"}
