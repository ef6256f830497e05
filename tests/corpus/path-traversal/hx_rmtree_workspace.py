# Workspace deletion: shutil.rmtree on a directory named in the JSON body.
# expect: mamori:python/path-traversal line=16
import os
import shutil

from flask import Flask, request

app = Flask(__name__)
WORKSPACES = "/srv/workspaces"


@app.delete("/workspaces")
def delete_workspace():
    name = request.json["workspace"]
    target = os.path.join(WORKSPACES, name)
    shutil.rmtree(target, ignore_errors=True)
    return "", 204
