# The admin view rebinds the global to a number parsed from the form: the page is safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

DOWNTIME_MINUTES = 0


@app.route("/admin/downtime", methods=["POST"])
def set_downtime():
    global DOWNTIME_MINUTES
    DOWNTIME_MINUTES = int(request.form.get("minutes", "0"))
    return "saved"


@app.route("/")
def home():
    return f"<div class='banner'>Back in {DOWNTIME_MINUTES} minutes</div>"
