# The SKU must match a strict pattern before being used in the XPath.
# expect: none
import re

from flask import Flask, abort, request
from lxml import etree

app = Flask(__name__)
DOC = etree.parse("/srv/data/products.xml")
SKU_RE = re.compile(r"^[A-Z]{3}-\d{4}$")


@app.get("/sku")
def sku():
    code = request.args.get("code", "")
    if not SKU_RE.match(code):
        abort(400)
    return {"found": bool(DOC.xpath(f"//product[sku='{code}']"))}
