# python-ldap search_s with a %-formatted mail filter.
# expect: mamori:python/ldap-injection line=14
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.get("/people")
def people():
    email = request.args.get("email", "")
    l = ldap.initialize("ldap://ldap.internal")
    l.simple_bind_s()
    results = l.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE,
                         "(mail=%s)" % email, ["cn"])
    return {"people": [dn for dn, _ in results]}
