# import_opml (fastapi-query, strip): untrusted request data reaches the sink
# expect: mamori:python/xxe line=11
from fastapi import FastAPI
from xml.dom import pulldom

app = FastAPI()

@app.get("/opml")
def import_opml(opml: str):
    opml = opml.strip()
    events = pulldom.parseString(opml)
    names = [node.tagName for event, node in events if event == pulldom.START_ELEMENT]
    return {"status": "ok"}
