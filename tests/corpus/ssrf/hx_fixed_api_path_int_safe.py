# Page number is an int; host and path are fixed.
# expect: none
import requests
from flask import Flask, request

app = Flask(__name__)
API = "https://api.example.com/v2/articles"


@app.get("/articles")
def articles():
    page = request.args.get("page", default=1, type=int)
    return requests.get(API, params={"page": page}, timeout=5).json()
