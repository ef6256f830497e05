from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)

CATALOG = etree.fromstring(
    b"<catalog>"
    b"<book public='yes'><author>Austen</author><title>Emma</title></book>"
    b"<book public='yes'><author>Tolstoy</author><title>War and Peace</title></book>"
    b"<book public='no'><author>Anon</author><title>Unreleased Draft</title></book>"
    b"</catalog>"
)


@app.get("/books")
def books_by():
    author = request.args.get("author", "")
    titles = CATALOG.xpath("//book[@public='yes' and author='" + author + "']/title/text()")
    return jsonify([str(t) for t in titles])
