# defusedxml refuses entity declarations.
# expect: none
from defusedxml import ElementTree as SafeET
from flask import Flask, request

app = Flask(__name__)


@app.post("/orders/xml")
def orders_xml():
    root = SafeET.fromstring(request.data)
    return {"orders": [o.get("id") for o in root.iter("order")]}
