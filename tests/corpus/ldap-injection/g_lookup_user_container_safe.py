# lookup_user (flask-form, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from ldap3 import Connection, Server

app = Flask(__name__)

@app.route("/directory/user", methods=["POST"])
def lookup_user():
    uid = request.form["uid"]
    options = {"uid": uid, "page_size": "50"}
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    conn.search("dc=corp,dc=example", f"(uid={options["page_size"]})")
    found = len(conn.entries)
    return {"status": "ok"}
