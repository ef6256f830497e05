# The same lookup with an XPath variable.
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("/srv/data/accounts.xml")


@app.get("/accounts")
def accounts():
    uid = request.args.get("id", "")
    found = TREE.xpath("//account[@id=$uid]", uid=uid)
    return {"found": len(found)}
