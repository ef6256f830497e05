# Attachment deletion: the path comes from a nested JSON object.
# expect: mamori:python/path-traversal line=16
import os
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
ATTACH = Path("/srv/attachments")


@app.post("/attachments/delete")
def delete_attachment():
    data = request.get_json()
    rel = data["attachment"]["path"]
    os.remove(ATTACH.joinpath(rel))
    return {"deleted": rel}
