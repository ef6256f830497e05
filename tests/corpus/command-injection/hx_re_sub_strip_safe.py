# The branch name is stripped to letters, digits, "-", "_" and "." before use in the shell.
# expect: none
import re
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/deploy")
def deploy():
    branch = re.sub(r"[^A-Za-z0-9._-]", "", request.form.get("branch", "main"))
    subprocess.run(f"git fetch origin {branch} && git checkout {branch}", shell=True,
                   cwd="/srv/app", check=True)
    return {"branch": branch}
