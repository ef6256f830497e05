# import_opml (fastapi-query, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
from xml.dom import pulldom

app = FastAPI()

@app.get("/opml")
def import_opml(opml: str):
    options = {"opml": opml, "page_size": "50"}
    events = pulldom.parseString(options["page_size"])
    names = [node.tagName for event, node in events if event == pulldom.START_ELEMENT]
    return {"status": "ok"}
