# XPath variables bind the user values instead of string building.
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
USERS = etree.parse("/srv/data/users.xml")


@app.post("/login")
def login():
    matches = USERS.xpath(
        "//user[name/text()=$name and password/text()=$pw]",
        name=request.form["username"],
        pw=request.form["password"],
    )
    return {"ok": bool(matches)}
