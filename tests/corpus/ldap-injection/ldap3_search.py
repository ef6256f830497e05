# ldap3 Connection.search with a tainted filter.
# expect: mamori:python/ldap-injection line=13
from flask import Flask, request

app = Flask(__name__)

from ldap3 import Connection, Server

@app.route("/who")
def who():
    mail = request.args["mail"]
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.search("dc=corp", f"(mail={mail})")
    return {"n": len(conn.entries)}
