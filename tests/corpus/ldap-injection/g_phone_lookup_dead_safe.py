# phone_lookup (flask-route, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/phone/<phone>")
def phone_lookup(phone):
    phone = phone.strip()
    if LEGACY_MODE:
        client = ldap.initialize("ldap://ldap.corp")
        query = "(telephoneNumber={})".format(phone)
        rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    else:
        client = ldap.initialize("ldap://ldap.corp")
        query = "(telephoneNumber={})".format(FALLBACK)
        rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    return {"status": "ok"}
