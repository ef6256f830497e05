# A report object is configured through a setter, then reads the file it was given.
# expect: mamori:python/path-traversal line=16
from flask import Flask, request

app = Flask(__name__)


class Report:
    def __init__(self) -> None:
        self.source = "/srv/reports/default.csv"

    def use_source(self, path: str) -> None:
        self.source = path

    def rows(self) -> list[str]:
        with open(self.source, encoding="utf-8") as fh:
            return fh.read().splitlines()


@app.get("/report")
def report():
    r = Report()
    r.use_source(request.args.get("source", "/srv/reports/default.csv"))
    return {"rows": len(r.rows())}
