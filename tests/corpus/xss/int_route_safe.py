# Only an int route parameter is echoed: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/page/<int:number>")
def page(number):
    return f"<p>Page {number}</p>"
