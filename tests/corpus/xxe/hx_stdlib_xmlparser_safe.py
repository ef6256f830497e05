# xml.etree with an explicit XMLParser; expat does not fetch external entities.
# expect: none
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.post("/kml")
def kml():
    parser = ET.XMLParser(encoding="utf-8")
    root = ET.fromstring(request.data, parser=parser)
    return {"tag": root.tag}
