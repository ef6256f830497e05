# lookup_mail (flask-cookie, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)
ALLOWED_MAILS = frozenset({"alpha", "beta", "main"})

@app.route("/directory/mail")
def lookup_mail():
    mail = request.cookies.get("mail", "")
    if mail not in ALLOWED_MAILS:
        raise ValueError("unsupported mail")
    options = {"mail": mail, "page_size": "50"}
    client = ldap.initialize("ldap://ldap.corp")
    results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + options["mail"] + ")")
    return {"status": "ok"}
