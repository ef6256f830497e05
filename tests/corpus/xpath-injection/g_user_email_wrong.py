# user_email (flask-json, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xpath-injection line=15
from flask import Flask, request
from lxml import etree
import shlex

app = Flask(__name__)

@app.route("/user/email", methods=["POST"])
def user_email():
    payload = request.get_json(force=True)
    username = payload.get("username", "")
    username = shlex.quote(username)
    tree = etree.parse("/srv/data/users.xml")
    nodes = tree.xpath("//user[@name='" + username + "']/email/text()")
    return {"status": "ok"}
