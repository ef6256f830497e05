# Group membership check: filter assembled from several query params with join.
# expect: mamori:python/ldap-injection line=18
from flask import Blueprint, request
from ldap3 import Connection, Server

bp = Blueprint("groups", __name__)


def build_filter(*terms: str) -> str:
    return "(&" + "".join(terms) + ")"


@bp.get("/groups/members")
def members():
    group = request.args["group"]
    flt = build_filter("(objectClass=groupOfNames)", f"(cn={group})")
    conn = Connection(Server("ldap://ldap.internal"), auto_bind=True)
    conn.search("ou=groups,dc=example,dc=com", flt, attributes=["member"])
    return {"members": [str(m) for e in conn.entries for m in e.member]}
