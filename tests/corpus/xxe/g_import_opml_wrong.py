# import_opml (fastapi-query, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xxe line=13
from fastapi import FastAPI
from xml.dom import pulldom
import html

app = FastAPI()

@app.get("/opml")
def import_opml(opml: str):
    opml = html.escape(opml)
    opml = opml.strip()
    events = pulldom.parseString(opml)
    names = [node.tagName for event, node in events if event == pulldom.START_ELEMENT]
    return {"status": "ok"}
