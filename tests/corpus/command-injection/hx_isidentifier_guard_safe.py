# Virtualenv name must be an identifier before it goes into the shell command.
# expect: none
import os

from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/envs")
def create_env():
    name = request.form.get("name", "")
    if not name.isidentifier():
        abort(400, "invalid environment name")
    os.system(f"python -m venv /srv/envs/{name}")
    return {"created": name}
