# escape_filter_chars before the filter: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import ldap
from ldap.filter import escape_filter_chars

@app.route("/directory")
def directory():
    uid = escape_filter_chars(request.args.get("uid", ""))
    conn = ldap.initialize("ldap://ldap.internal")
    res = conn.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    return {"n": len(res)}
