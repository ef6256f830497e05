# phone_lookup (flask-route, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)

@app.route("/phone/<phone>")
def phone_lookup(phone):
    options = {"phone": phone, "page_size": "50"}
    client = ldap.initialize("ldap://ldap.corp")
    query = "(telephoneNumber={})".format(options["page_size"])
    rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    return {"status": "ok"}
