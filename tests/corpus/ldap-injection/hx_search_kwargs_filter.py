# ldap3 search called with keyword arguments; the filter uses the group from JSON.
# expect: mamori:python/ldap-injection line=14
from flask import Flask, request
from ldap3 import SUBTREE, Connection, Server

app = Flask(__name__)


@app.post("/access/check")
def access_check():
    payload = request.get_json() or {}
    group = payload.get("group", "")
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.search(
        search_base="ou=groups,dc=example,dc=com",
        search_filter="(&(objectClass=group)(cn=" + group + "))",
        search_scope=SUBTREE,
    )
    return {"exists": bool(conn.entries)}
