# The DN component is escaped with ldap.dn.escape_dn_chars.
# expect: none
import ldap
import ldap.dn
from flask import Flask, request

app = Flask(__name__)


@app.post("/ldap/login")
def ldap_login():
    user = ldap.dn.escape_dn_chars(request.form["user"])
    conn = ldap.initialize("ldaps://ldap.internal")
    try:
        conn.simple_bind_s(f"uid={user},ou=people,dc=example,dc=com", request.form["password"])
    except ldap.INVALID_CREDENTIALS:
        return {"ok": False}, 401
    return {"ok": True}
