# phone_lookup (flask-route, strip): untrusted request data reaches the sink
# expect: mamori:python/ldap-injection line=13
from flask import Flask, request
import ldap

app = Flask(__name__)

@app.route("/phone/<phone>")
def phone_lookup(phone):
    phone = phone.strip()
    client = ldap.initialize("ldap://ldap.corp")
    query = "(telephoneNumber={})".format(phone)
    rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    return {"status": "ok"}
