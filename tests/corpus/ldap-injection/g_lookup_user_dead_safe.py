# lookup_user (flask-form, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/directory/user", methods=["POST"])
def lookup_user():
    uid = request.form["uid"]
    if LEGACY_MODE:
        conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
        conn.search("dc=corp,dc=example", f"(uid={uid})")
        found = len(conn.entries)
    else:
        conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
        conn.search("dc=corp,dc=example", f"(uid={FALLBACK})")
        found = len(conn.entries)
    return {"status": "ok"}
