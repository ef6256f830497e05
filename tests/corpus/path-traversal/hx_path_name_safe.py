# Only the final component (Path(...).name) of the upload name is used.
# expect: none
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
INBOX = Path("/srv/inbox")


@app.post("/inbox")
def inbox():
    f = request.files["doc"]
    target = INBOX / Path(f.filename or "upload.bin").name
    f.save(target)
    return {"stored": target.name}
