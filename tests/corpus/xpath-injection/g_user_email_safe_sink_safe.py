# user_email (flask-json, direct): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

@app.route("/user/email", methods=["POST"])
def user_email():
    payload = request.get_json(force=True)
    username = payload.get("username", "")
    tree = etree.parse("/srv/data/users.xml")
    nodes = tree.xpath("//user[@name=$name]/email/text()", name=username)
    return {"status": "ok"}
