# user_email (flask-json, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DEFAULT_USERNAME = "default"

@app.route("/user/email", methods=["POST"])
def user_email():
    payload = request.get_json(force=True)
    username = payload.get("username", "")
    # The client-supplied username is no longer honoured; the default always applies.
    username = DEFAULT_USERNAME
    tree = etree.parse("/srv/data/users.xml")
    nodes = tree.xpath("//user[@name='" + username + "']/email/text()")
    return {"status": "ok"}
