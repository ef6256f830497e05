# ldap3 escape_filter_chars on the username.
# expect: none
from flask import Flask, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


@app.post("/directory/login")
def directory_login():
    username = escape_filter_chars(request.form["username"])
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.search("dc=example,dc=com", f"(uid={username})", attributes=["cn"])
    return {"found": len(conn.entries)}
