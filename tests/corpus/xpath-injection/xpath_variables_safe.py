# XPath with a bound variable: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from lxml import etree

TREE = etree.parse("/srv/users.xml")

@app.route("/user")
def user():
    name = request.args.get("name", "")
    nodes = TREE.xpath("//user[@name=$name]", name=name)
    return {"found": bool(nodes)}
