# user_email (flask-json, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ALLOWED_USERNAMES = frozenset({"alpha", "beta", "main"})

@app.route("/user/email", methods=["POST"])
def user_email():
    payload = request.get_json(force=True)
    username = payload.get("username", "")
    if username not in ALLOWED_USERNAMES:
        raise ValueError("unsupported username")
    tree = etree.parse("/srv/data/users.xml")
    nodes = tree.xpath("//user[@name='" + username + "']/email/text()")
    return {"status": "ok"}
