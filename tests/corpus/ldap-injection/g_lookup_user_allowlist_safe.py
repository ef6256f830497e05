# lookup_user (flask-form, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)
ALLOWED_UIDS = frozenset({"alpha", "beta", "main"})

@app.route("/directory/user", methods=["POST"])
def lookup_user():
    uid = request.form["uid"]
    if uid not in ALLOWED_UIDS:
        raise ValueError("unsupported uid")
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    conn.search("dc=corp,dc=example", f"(uid={uid})")
    found = len(conn.entries)
    return {"status": "ok"}
