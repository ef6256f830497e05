# app.config.update with keyword literals.
# expect: mamori:python/hardcoded-secret line=7
from flask import Flask

app = Flask(__name__)
app.config.update(
    SECRET_KEY="a8f5f167f44f4964e6c998dee827110c",
    SESSION_COOKIE_SECURE=True,
)
