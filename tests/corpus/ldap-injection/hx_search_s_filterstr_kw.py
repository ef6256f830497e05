# python-ldap with filterstr passed by keyword.
# expect: mamori:python/ldap-injection line=13
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.get("/phonebook")
def phonebook():
    name = request.args.get("name", "")
    conn = ldap.initialize("ldap://ldap.internal")
    res = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE,
                        filterstr=f"(cn=*{name}*)", attrlist=["telephoneNumber"])
    return {"entries": len(res)}
