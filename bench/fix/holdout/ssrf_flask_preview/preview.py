import re
from urllib.request import urlopen

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
TITLE = re.compile(rb"<title>(.*?)</title>", re.I | re.S)


@app.get("/preview")
def preview():
    url = request.args.get("url")
    if not url:
        abort(400)
    body = urlopen(url, timeout=5).read(200_000)
    m = TITLE.search(body)
    return jsonify(title=m.group(1).decode("utf-8", "replace").strip() if m else None)
