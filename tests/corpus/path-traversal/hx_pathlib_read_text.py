# Template preview reads a file chosen by the query string through pathlib.
# expect: mamori:python/path-traversal line=12
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
TEMPLATES = Path("/srv/app/email_templates")


def load_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@app.get("/preview")
def preview():
    name = request.args.get("template", "welcome.html")
    return {"body": load_template(name)}
