# XPath query built from a user name.
# expect: mamori:python/xpath-injection line=14
from flask import Flask, request

app = Flask(__name__)

from lxml import etree

TREE = etree.parse("/srv/users.xml")

@app.route("/user")
def user():
    name = request.args.get("name", "")
    nodes = TREE.xpath("//user[@name='" + name + "']")
    return {"found": bool(nodes)}
