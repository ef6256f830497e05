# Deploy hook: repository name from a path converter goes into os.system, errors are logged.
# expect: mamori:python/command-injection line=16
import logging
import os

from flask import Flask, abort

app = Flask(__name__)
logger = logging.getLogger("deploy")
REPO_ROOT = "/srv/repos"


@app.post("/deploy/<path:repo>")
def deploy(repo: str):
    try:
        status = os.system("cd %s/%s && git pull --ff-only" % (REPO_ROOT, repo))
    except OSError:
        logger.exception("deploy failed")
        abort(500)
    return {"status": status}
