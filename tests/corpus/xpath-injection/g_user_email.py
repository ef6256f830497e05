# user_email (flask-json, direct): untrusted request data reaches the sink
# expect: mamori:python/xpath-injection line=13
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

@app.route("/user/email", methods=["POST"])
def user_email():
    payload = request.get_json(force=True)
    username = payload.get("username", "")
    tree = etree.parse("/srv/data/users.xml")
    nodes = tree.xpath("//user[@name='" + username + "']/email/text()")
    return {"status": "ok"}
