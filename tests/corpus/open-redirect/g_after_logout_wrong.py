# after_logout (flask-form, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/open-redirect line=14
from flask import Flask, request
from flask import redirect
import html

app = Flask(__name__)

@app.route("/logout", methods=["POST"])
def after_logout():
    return_to = request.form["return_to"]
    return_to = html.escape(return_to)
    options = {"return_to": return_to, "page_size": "50"}
    return redirect(options["return_to"], code=302)
