# An XPathEvaluator on the config document evaluates a user-supplied key path.
# expect: mamori:python/xpath-injection line=14
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
CONFIG = etree.parse("/srv/app/config.xml")


@app.get("/config/value")
def config_value():
    key = request.args["key"]
    evaluator = etree.XPathEvaluator(CONFIG)
    result = evaluator("/config/" + key + "/text()")
    return {"value": [str(r) for r in result]}
