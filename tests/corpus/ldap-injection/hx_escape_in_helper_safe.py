# Filter built by a helper that escapes every value.
# expect: none
from flask import Flask, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)


def eq_filter(attr: str, value: str) -> str:
    return f"({attr}={escape_filter_chars(value)})"


@app.get("/users/lookup")
def lookup():
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.search("dc=example,dc=com", eq_filter("mail", request.args["mail"]), attributes=["uid"])
    return {"found": len(conn.entries)}
