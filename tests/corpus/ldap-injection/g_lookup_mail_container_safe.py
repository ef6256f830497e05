# lookup_mail (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import ldap

app = Flask(__name__)

@app.route("/directory/mail")
def lookup_mail():
    mail = request.cookies.get("mail", "")
    options = {"mail": mail, "page_size": "50"}
    client = ldap.initialize("ldap://ldap.corp")
    results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + options["page_size"] + ")")
    return {"status": "ok"}
