# The user value only chooses a path segment under our own absolute URL.
# expect: none
from urllib.parse import quote

from flask import Flask, redirect, request

app = Flask(__name__)
BASE = "https://shop.example.com/catalog/"


@app.get("/c")
def short_category():
    slug = request.args.get("s", "")
    return redirect(BASE + quote(slug, safe=""))
