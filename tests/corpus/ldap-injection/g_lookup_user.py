# lookup_user (flask-form, direct): untrusted request data reaches the sink
# expect: mamori:python/ldap-injection line=12
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)

@app.route("/directory/user", methods=["POST"])
def lookup_user():
    uid = request.form["uid"]
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    conn.search("dc=corp,dc=example", f"(uid={uid})")
    found = len(conn.entries)
    return {"status": "ok"}
