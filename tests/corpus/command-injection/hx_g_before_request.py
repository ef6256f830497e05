# before_request stores a header on flask.g; the view later uses it in a shell command.
# expect: mamori:python/command-injection line=17
import os

from flask import Flask, g, request

app = Flask(__name__)


@app.before_request
def load_locale():
    g.locale = request.headers.get("Accept-Language", "en").split(",")[0]


@app.get("/calendar")
def calendar():
    output = os.popen(f"LANG={g.locale} cal -3").read()
    return {"calendar": output}
