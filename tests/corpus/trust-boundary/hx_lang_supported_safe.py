# Language preference limited to the supported set.
# expect: none
from flask import Flask, request, session

app = Flask(__name__)
SUPPORTED = ("en", "de", "fr", "ja")


@app.get("/lang/<code>")
def set_lang(code: str):
    session["lang"] = code if code in SUPPORTED else "en"
    return {"lang": session["lang"]}
