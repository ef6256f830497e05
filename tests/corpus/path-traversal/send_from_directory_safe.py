# send_from_directory with a constant directory: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import send_from_directory

@app.route("/static-docs/<path:name>")
def docs(name):
    return send_from_directory("/srv/docs", name)
