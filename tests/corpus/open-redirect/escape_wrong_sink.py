# html.escape does not make a URL local.
# expect: mamori:python/open-redirect line=12
from flask import Flask, request

app = Flask(__name__)

import html
from flask import redirect

@app.route("/go")
def go():
    return redirect(html.escape(request.args["url"]))
