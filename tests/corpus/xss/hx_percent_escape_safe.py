# Preformatted text escaped with html.escape before %-formatting.
# expect: none
import html

from flask import Flask, request

app = Flask(__name__)


@app.post("/paste")
def paste():
    text = request.form.get("text", "")
    return "<pre>%s</pre>" % html.escape(text, quote=True)
