# user_email (flask-json, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

@app.route("/user/email", methods=["POST"])
def user_email():
    payload = request.get_json(force=True)
    username = payload.get("username", "")
    options = {"username": username, "page_size": "50"}
    tree = etree.parse("/srv/data/users.xml")
    nodes = tree.xpath("//user[@name='" + options["page_size"] + "']/email/text()")
    return {"status": "ok"}
