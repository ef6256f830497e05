# Profile update: the DN is built from the JSON body.
# expect: mamori:python/ldap-injection line=14
from flask import Flask, request
from ldap3 import MODIFY_REPLACE, Connection, Server

app = Flask(__name__)


@app.patch("/profile")
def update_profile():
    data = request.get_json()
    dn = "uid={},ou=people,dc=example,dc=com".format(data["uid"])
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.modify(dn, {"telephoneNumber": [(MODIFY_REPLACE, [data.get("phone", "")])]})
    return {"result": conn.result["description"]}
