# after_logout (flask-form, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
ALLOWED_RETURN_TOS = frozenset({"alpha", "beta", "main"})

@app.route("/logout", methods=["POST"])
def after_logout():
    return_to = request.form["return_to"]
    if return_to not in ALLOWED_RETURN_TOS:
        raise ValueError("unsupported return_to")
    options = {"return_to": return_to, "page_size": "50"}
    return redirect(options["return_to"], code=302)
