# after_logout (flask-form, dict): untrusted request data reaches the sink
# expect: mamori:python/open-redirect line=12
from flask import Flask, request
from flask import redirect

app = Flask(__name__)

@app.route("/logout", methods=["POST"])
def after_logout():
    return_to = request.form["return_to"]
    options = {"return_to": return_to, "page_size": "50"}
    return redirect(options["return_to"], code=302)
