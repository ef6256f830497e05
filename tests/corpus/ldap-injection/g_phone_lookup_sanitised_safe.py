# phone_lookup (flask-route, strip): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import ldap
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)

@app.route("/phone/<phone>")
def phone_lookup(phone):
    phone = escape_filter_chars(phone)
    phone = phone.strip()
    client = ldap.initialize("ldap://ldap.corp")
    query = "(telephoneNumber={})".format(phone)
    rows = client.search_s("dc=corp", ldap.SCOPE_SUBTREE, query)
    return {"status": "ok"}
