# Streaming parse of a posted SOAP envelope with pulldom.
# expect: mamori:python/xxe line=12
from xml.dom import pulldom

from flask import Flask, request

app = Flask(__name__)


@app.post("/soap")
def soap():
    events = pulldom.parseString(request.get_data(as_text=True))
    for event, node in events:
        if event == pulldom.START_ELEMENT and node.tagName == "Action":
            events.expandNode(node)
            return {"action": node.toxml()}
    return {"action": None}
