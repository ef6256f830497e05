# import_opml (fastapi-query, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
from xml.dom import pulldom

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

@app.get("/opml")
def import_opml(opml: str):
    opml = opml.strip()
    if LEGACY_MODE:
        events = pulldom.parseString(opml)
        names = [node.tagName for event, node in events if event == pulldom.START_ELEMENT]
    else:
        events = pulldom.parseString(FALLBACK)
        names = [node.tagName for event, node in events if event == pulldom.START_ELEMENT]
    return {"status": "ok"}
