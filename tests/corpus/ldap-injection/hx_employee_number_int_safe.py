# Employee number cast to int before going into the filter.
# expect: none
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.get("/employees/<emp>")
def employee(emp: str):
    number = int(emp)
    l = ldap.initialize("ldap://ldap.internal")
    res = l.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(employeeNumber={number})")
    return {"matches": len(res)}
