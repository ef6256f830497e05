# import_opml (fastapi-query, strip): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
from xml.dom import pulldom
from defusedxml import ElementTree

app = FastAPI()

@app.get("/opml")
def import_opml(opml: str):
    opml = opml.strip()
    root = ElementTree.fromstring(opml)
    names = [child.tag for child in root]
    return {"status": "ok"}
