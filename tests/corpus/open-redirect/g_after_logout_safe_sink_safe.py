# after_logout (flask-form, dict): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)

@app.route("/logout", methods=["POST"])
def after_logout():
    return_to = request.form["return_to"]
    options = {"return_to": return_to, "page_size": "50"}
    return redirect("/account/" + options["return_to"], code=302)
