# Log viewer service class reads the file named in a query parameter.
# expect: mamori:python/path-traversal line=16
import os

from flask import Flask, request

app = Flask(__name__)


class LogService:
    def __init__(self, root: str) -> None:
        self.root = root

    def tail(self, name: str, lines: int = 50) -> list[str]:
        path = os.path.join(self.root, name)
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.readlines()[-lines:]


logs = LogService("/var/log/myapp")


@app.get("/logs")
def view_log():
    return {"lines": logs.tail(request.args["file"])}
