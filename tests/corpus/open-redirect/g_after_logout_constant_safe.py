# after_logout (flask-form, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
DEFAULT_RETURN_TO = "default"

@app.route("/logout", methods=["POST"])
def after_logout():
    return_to = request.form["return_to"]
    # The client-supplied return_to is no longer honoured; the default always applies.
    return_to = DEFAULT_RETURN_TO
    options = {"return_to": return_to, "page_size": "50"}
    return redirect(options["return_to"], code=302)
