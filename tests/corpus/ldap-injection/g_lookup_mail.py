# lookup_mail (flask-cookie, dict): untrusted request data reaches the sink
# expect: mamori:python/ldap-injection line=13
from flask import Flask, request
import ldap

app = Flask(__name__)

@app.route("/directory/mail")
def lookup_mail():
    mail = request.cookies.get("mail", "")
    options = {"mail": mail, "page_size": "50"}
    client = ldap.initialize("ldap://ldap.corp")
    results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + options["mail"] + ")")
    return {"status": "ok"}
