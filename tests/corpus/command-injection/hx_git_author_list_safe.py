# git log filtered by author; arguments passed as a list without a shell.
# expect: none
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/commits")
def commits():
    author = request.args.get("author", "")
    out = subprocess.run(
        ["git", "-C", "/srv/repo", "log", "--oneline", f"--author={author}", "-n", "20"],
        capture_output=True, text=True, check=False,
    )
    return {"commits": out.stdout.splitlines()}
