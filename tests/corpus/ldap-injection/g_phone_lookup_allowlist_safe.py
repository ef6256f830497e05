# phone_lookup (flask-route, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)
ALLOWED_PHONES = frozenset({"alpha", "beta", "main"})

@app.route("/phone/<phone>")
def phone_lookup(phone):
    if phone not in ALLOWED_PHONES:
        raise ValueError("unsupported phone")
    phone = phone.strip()
    client = ldap.initialize("ldap://ldap.corp")
    query = "(telephoneNumber={})".format(phone)
    rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    return {"status": "ok"}
