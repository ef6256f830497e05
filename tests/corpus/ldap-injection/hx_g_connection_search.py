# ldap3 connection kept on flask.g by a before_request hook, used in the view.
# expect: mamori:python/ldap-injection line=17
from flask import Flask, g, request
from ldap3 import Connection, Server

app = Flask(__name__)


@app.before_request
def connect_ldap():
    g.ldap = Connection(Server("ldap://ldap.internal"), auto_bind=True)


@app.get("/users/lookup")
def lookup():
    mail = request.args["mail"]
    g.ldap.search("dc=example,dc=com", "(mail=" + mail + ")", attributes=["uid"])
    return {"found": len(g.ldap.entries)}
