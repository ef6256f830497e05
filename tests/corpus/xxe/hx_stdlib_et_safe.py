# xml.etree.ElementTree does not fetch external entities.
# expect: none
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.post("/rss")
def rss():
    root = ET.fromstring(request.data)
    titles = [item.findtext("title") for item in root.iter("item")]
    return {"titles": titles}
