# Directory search with ldap3, filter built from the login form.
# expect: mamori:python/ldap-injection line=11
from flask import Flask, current_app, request
from ldap3 import ALL, Connection, Server

app = Flask(__name__)


def find_user(conn: Connection, username: str):
    base = current_app.config.get("LDAP_BASE_DN", "dc=example,dc=com")
    conn.search(base, f"(&(objectClass=person)(uid={username}))", attributes=["cn", "mail"])
    return conn.entries


@app.post("/directory/login")
def directory_login():
    server = Server("ldap://ldap.internal", get_info=ALL)
    conn = Connection(server, auto_bind=True)
    entries = find_user(conn, request.form["username"])
    return {"found": len(entries)}
