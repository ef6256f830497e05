# Exporters registered by name; eval only ever sees a constant.
# expect: none
from flask import Flask, abort, request

app = Flask(__name__)
EXPORTERS = {"csv": "CsvExporter()", "json": "JsonExporter()"}


class CsvExporter:
    pass


class JsonExporter:
    pass


@app.get("/export")
def export():
    kind = request.args.get("kind", "csv")
    expr = EXPORTERS.get(kind)
    if expr is None:
        abort(400)
    exporter = eval(expr)
    return {"exporter": type(exporter).__name__}
