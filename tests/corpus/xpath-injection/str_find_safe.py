# str.find on user text is not XPath: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/pos")
def pos():
    text = request.args.get("text", "")
    return {"pos": text.find("needle")}
