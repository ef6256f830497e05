# import_opml (fastapi-query, strip): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
from xml.dom import pulldom

app = FastAPI()
ALLOWED_OPMLS = frozenset({"alpha", "beta", "main"})

@app.get("/opml")
def import_opml(opml: str):
    if opml not in ALLOWED_OPMLS:
        raise ValueError("unsupported opml")
    opml = opml.strip()
    events = pulldom.parseString(opml)
    names = [node.tagName for event, node in events if event == pulldom.START_ELEMENT]
    return {"status": "ok"}
