# Per-tenant config file chosen by a request header.
# expect: mamori:python/path-traversal line=13
import json

from flask import Flask, g, request

app = Flask(__name__)


@app.before_request
def load_tenant():
    tenant = request.headers.get("X-Tenant", "default")
    with open(f"/etc/myapp/tenants/{tenant}.json") as fh:
        g.tenant_config = json.load(fh)


@app.get("/whoami")
def whoami():
    return g.tenant_config
