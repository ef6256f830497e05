from flask import Flask, jsonify, request
from ldap3 import MOCK_SYNC, Connection, Server

app = Flask(__name__)


def get_connection():
    conn = Connection(Server("directory"), user="cn=svc,dc=corp", password="svc", client_strategy=MOCK_SYNC)
    conn.strategy.add_entry("cn=svc,dc=corp", {"userPassword": "svc", "sn": "svc"})
    conn.strategy.add_entry(
        "uid=ann,ou=staff,dc=corp", {"uid": "ann", "mail": "ann@corp.test", "cn": "Ann", "objectClass": "person"}
    )
    conn.strategy.add_entry(
        "uid=root,ou=staff,dc=corp", {"uid": "root", "mail": "root@corp.test", "cn": "Root", "objectClass": "person"}
    )
    conn.bind()
    return conn


@app.get("/whois")
def whois():
    email = request.args.get("email", "")
    conn = get_connection()
    search_filter = "(mail=%s)" % email
    conn.search("ou=staff,dc=corp", search_filter, attributes=["cn"])
    return jsonify(sorted(str(e.cn) for e in conn.entries))
