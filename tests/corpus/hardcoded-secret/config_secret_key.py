# Flask SECRET_KEY literal.
# expect: mamori:python/hardcoded-secret line=7
from flask import Flask, request

app = Flask(__name__)

app.config["SECRET_KEY"] = "s3cr3t-d3v-k3y-1234"
