# Avatar import through a shared requests.Session.
# expect: mamori:python/ssrf line=14
import requests
from flask import Flask, request

app = Flask(__name__)
http = requests.Session()
http.headers["User-Agent"] = "avatar-fetcher/1.0"


@app.post("/avatar/import")
def import_avatar():
    image_url = request.form.get("image_url", "")
    resp = http.get(image_url, timeout=5, stream=True)
    return {"type": resp.headers.get("Content-Type")}
