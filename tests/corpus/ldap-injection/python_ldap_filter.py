# LDAP filter built from a user name.
# expect: mamori:python/ldap-injection line=13
from flask import Flask, request

app = Flask(__name__)

import ldap

@app.route("/directory")
def directory():
    uid = request.args.get("uid", "")
    conn = ldap.initialize("ldap://ldap.internal")
    res = conn.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    return {"n": len(res)}
