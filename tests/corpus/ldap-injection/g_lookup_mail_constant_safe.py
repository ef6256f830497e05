# lookup_mail (flask-cookie, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)
DEFAULT_MAIL = "default"

@app.route("/directory/mail")
def lookup_mail():
    mail = request.cookies.get("mail", "")
    # The client-supplied mail is no longer honoured; the default always applies.
    mail = DEFAULT_MAIL
    options = {"mail": mail, "page_size": "50"}
    client = ldap.initialize("ldap://ldap.corp")
    results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + options["mail"] + ")")
    return {"status": "ok"}
