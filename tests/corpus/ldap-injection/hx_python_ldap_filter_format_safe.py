# python-ldap's filter_format escapes the assertion values.
# expect: none
import ldap
import ldap.filter
from flask import Flask, request

app = Flask(__name__)


@app.get("/people")
def people():
    email = request.args.get("email", "")
    flt = ldap.filter.filter_format("(mail=%s)", [email])
    l = ldap.initialize("ldap://ldap.internal")
    results = l.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, flt, ["cn"])
    return {"people": [dn for dn, _ in results]}
