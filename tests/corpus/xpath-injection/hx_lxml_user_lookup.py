# User directory stored as XML; lookup builds the XPath with an f-string.
# expect: mamori:python/xpath-injection line=15
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("/srv/data/users.xml")


@app.post("/login")
def login():
    username = request.form["username"]
    password = request.form["password"]
    query = f"//user[name/text()='{username}' and password/text()='{password}']"
    matches = USERS.xpath(query)
    return {"ok": bool(matches)}
