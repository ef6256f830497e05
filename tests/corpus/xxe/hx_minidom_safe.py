# xml.dom.minidom does not load external entities.
# expect: none
from xml.dom import minidom

from flask import Flask, request

app = Flask(__name__)


@app.post("/svg/size")
def svg_size():
    doc = minidom.parseString(request.data)
    svg = doc.documentElement
    return {"width": svg.getAttribute("width"), "height": svg.getAttribute("height")}
