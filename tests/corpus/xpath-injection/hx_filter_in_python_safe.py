# Constant XPath; the user value is compared in Python.
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DOC = etree.parse("/srv/data/users.xml")


@app.get("/users/by-city")
def by_city():
    city = request.args.get("city", "")
    users = [u for u in DOC.xpath("//user") if u.findtext("city") == city]
    return {"names": [u.findtext("name") for u in users]}
