# phone_lookup (flask-route, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)
DEFAULT_PHONE = "default"

@app.route("/phone/<phone>")
def phone_lookup(phone):
    # The client-supplied phone is no longer honoured; the default always applies.
    phone = DEFAULT_PHONE
    phone = phone.strip()
    client = ldap.initialize("ldap://ldap.corp")
    query = "(telephoneNumber={})".format(phone)
    rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    return {"status": "ok"}
