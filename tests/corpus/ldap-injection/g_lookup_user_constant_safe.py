# lookup_user (flask-form, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)
DEFAULT_UID = "default"

@app.route("/directory/user", methods=["POST"])
def lookup_user():
    uid = request.form["uid"]
    # The client-supplied uid is no longer honoured; the default always applies.
    uid = DEFAULT_UID
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    conn.search("dc=corp,dc=example", f"(uid={uid})")
    found = len(conn.entries)
    return {"status": "ok"}
