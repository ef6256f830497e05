# Login binds with a DN assembled from the username.
# expect: mamori:python/ldap-injection line=15
import ldap
from flask import Flask, request

app = Flask(__name__)


@app.post("/ldap/login")
def ldap_login():
    user = request.form["user"]
    password = request.form["password"]
    conn = ldap.initialize("ldaps://ldap.internal")
    try:
        conn.simple_bind_s(f"uid={user},ou=people,dc=example,dc=com", password)
    except ldap.INVALID_CREDENTIALS:
        return {"ok": False}, 401
    return {"ok": True}
