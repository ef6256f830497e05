# lookup_mail (flask-cookie, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/directory/mail")
def lookup_mail():
    mail = request.cookies.get("mail", "")
    options = {"mail": mail, "page_size": "50"}
    if LEGACY_MODE:
        client = ldap.initialize("ldap://ldap.corp")
        results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + options["mail"] + ")")
    else:
        client = ldap.initialize("ldap://ldap.corp")
        results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + FALLBACK + ")")
    return {"status": "ok"}
