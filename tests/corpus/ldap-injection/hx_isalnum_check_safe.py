# Usernames must be alphanumeric; anything else is rejected before the search.
# expect: none
from flask import Flask, abort, request
from ldap3 import Connection, Server

app = Flask(__name__)


@app.get("/directory/<username>")
def directory_entry(username: str):
    if not username.isalnum():
        abort(400)
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.search("ou=people,dc=example,dc=com", f"(uid={username})", attributes=["cn"])
    return {"found": len(conn.entries)}
