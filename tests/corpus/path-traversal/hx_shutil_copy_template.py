# Project scaffolding copies a template directory named by the user.
# expect: mamori:python/path-traversal line=17
import shutil
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
TEMPLATES = Path("/srv/templates")
PROJECTS = Path("/srv/projects")


@app.post("/projects")
def new_project():
    data = request.get_json()
    template = data.get("template", "basic")
    shutil.copytree(TEMPLATES / template, PROJECTS / data["name"])
    return {"created": data["name"]}, 201
