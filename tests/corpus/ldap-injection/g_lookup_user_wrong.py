# lookup_user (flask-form, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ldap-injection line=14
from flask import Flask, request
from ldap3 import Connection, Server
import html

app = Flask(__name__)

@app.route("/directory/user", methods=["POST"])
def lookup_user():
    uid = request.form["uid"]
    uid = html.escape(uid)
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    conn.search("dc=corp,dc=example", f"(uid={uid})")
    found = len(conn.entries)
    return {"status": "ok"}
