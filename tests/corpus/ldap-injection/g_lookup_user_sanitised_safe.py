# lookup_user (flask-form, direct): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)

@app.route("/directory/user", methods=["POST"])
def lookup_user():
    uid = request.form["uid"]
    uid = escape_filter_chars(uid)
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    conn.search("dc=corp,dc=example", f"(uid={uid})")
    found = len(conn.entries)
    return {"status": "ok"}
