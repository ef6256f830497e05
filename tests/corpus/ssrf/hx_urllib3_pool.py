# Image proxy through a urllib3 PoolManager.
# expect: mamori:python/ssrf line=13
import urllib3
from flask import Flask, Response, request

app = Flask(__name__)
pool = urllib3.PoolManager(timeout=5.0)


@app.get("/img")
def image_proxy():
    src = request.args.get("src", "")
    upstream = pool.request("GET", src, preload_content=True)
    return Response(upstream.data, content_type=upstream.headers.get("Content-Type"))
