# import_opml (fastapi-query, strip): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
from xml.dom import pulldom

app = FastAPI()
DEFAULT_OPML = "default"

@app.get("/opml")
def import_opml(opml: str):
    # The client-supplied opml is no longer honoured; the default always applies.
    opml = DEFAULT_OPML
    opml = opml.strip()
    events = pulldom.parseString(opml)
    names = [node.tagName for event, node in events if event == pulldom.START_ELEMENT]
    return {"status": "ok"}
