# lookup_mail (flask-cookie, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ldap-injection line=15
from flask import Flask, request
import ldap
import html

app = Flask(__name__)

@app.route("/directory/mail")
def lookup_mail():
    mail = request.cookies.get("mail", "")
    mail = html.escape(mail)
    options = {"mail": mail, "page_size": "50"}
    client = ldap.initialize("ldap://ldap.corp")
    results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + options["mail"] + ")")
    return {"status": "ok"}
