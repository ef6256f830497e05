# user_email (flask-json, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/user/email", methods=["POST"])
def user_email():
    payload = request.get_json(force=True)
    username = payload.get("username", "")
    if LEGACY_MODE:
        tree = etree.parse("/srv/data/users.xml")
        nodes = tree.xpath("//user[@name='" + username + "']/email/text()")
    else:
        tree = etree.parse("/srv/data/users.xml")
        nodes = tree.xpath("//user[@name='" + FALLBACK + "']/email/text()")
    return {"status": "ok"}
