# The position is parsed as an integer before building the XPath.
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DOC = etree.parse("/srv/data/news.xml")


@app.get("/news")
def news():
    idx = int(request.args.get("i", "1"))
    titles = DOC.xpath(f"/feed/entry[{idx}]/title/text()")
    return {"title": titles[0] if titles else None}
