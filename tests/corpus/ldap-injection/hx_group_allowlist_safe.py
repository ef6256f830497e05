# Only known group names can be queried.
# expect: none
from flask import Flask, abort, request
from ldap3 import Connection, Server

app = Flask(__name__)
KNOWN_GROUPS = ("admins", "developers", "support")


@app.get("/groups/members")
def members():
    group = request.args.get("group", "")
    if group not in KNOWN_GROUPS:
        abort(404)
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.search("ou=groups,dc=example,dc=com", f"(cn={group})", attributes=["member"])
    return {"count": len(conn.entries)}
