# lookup_mail (flask-cookie, dict): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import ldap
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)

@app.route("/directory/mail")
def lookup_mail():
    mail = request.cookies.get("mail", "")
    mail = escape_filter_chars(mail)
    options = {"mail": mail, "page_size": "50"}
    client = ldap.initialize("ldap://ldap.corp")
    results = client.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(mail=" + options["mail"] + ")")
    return {"status": "ok"}
