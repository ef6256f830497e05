# Redirect back to the Referer header.
# expect: mamori:python/open-redirect line=11
from flask import Flask, request

app = Flask(__name__)

from flask import redirect

@app.route("/back")
def back():
    return redirect(request.referrer)
