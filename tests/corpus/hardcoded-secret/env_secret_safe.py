# SECRET_KEY read from the environment: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import os

app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
API_TOKEN = os.environ.get("API_TOKEN", "")
