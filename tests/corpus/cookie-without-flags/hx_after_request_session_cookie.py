# after_request hook refreshes a session id cookie on every response.
# expect: mamori:python/cookie-without-flags line=12
from flask import Flask, g

app = Flask(__name__)


@app.after_request
def refresh_session_cookie(response):
    sid = getattr(g, "session_id", None)
    if sid:
        response.set_cookie("session_id", sid, max_age=1800)
    return response
