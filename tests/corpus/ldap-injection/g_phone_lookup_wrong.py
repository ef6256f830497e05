# phone_lookup (flask-route, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ldap-injection line=15
from flask import Flask, request
import ldap
import html

app = Flask(__name__)

@app.route("/phone/<phone>")
def phone_lookup(phone):
    phone = html.escape(phone)
    phone = phone.strip()
    client = ldap.initialize("ldap://ldap.corp")
    query = "(telephoneNumber={})".format(phone)
    rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    return {"status": "ok"}
