# md5 of the response body as an ETag.
# expect: none
import hashlib

from flask import Flask, make_response, request

app = Flask(__name__)


@app.get("/feed.xml")
def feed():
    body = "<rss>...</rss>"
    etag = hashlib.md5(body.encode()).hexdigest()
    if request.if_none_match and etag in request.if_none_match:
        return "", 304
    resp = make_response(body)
    resp.set_etag(etag)
    return resp
