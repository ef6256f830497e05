# Image resize with %-formatting from a dict of request values.
# expect: mamori:python/command-injection line=13
import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/resize")
def resize():
    params = {"src": request.form["src"], "size": request.form.get("size", "200x200")}
    os.system("convert /srv/img/%(src)s -resize %(size)s /srv/thumbs/out.png" % params)
    return {"ok": True}
