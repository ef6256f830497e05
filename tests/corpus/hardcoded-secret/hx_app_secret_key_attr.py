# Flask secret key assigned on the app object.
# expect: mamori:python/hardcoded-secret line=6
from flask import Flask

app = Flask(__name__)
app.secret_key = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@app.get("/")
def index():
    return "ok"
