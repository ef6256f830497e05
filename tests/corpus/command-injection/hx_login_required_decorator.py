# Admin view behind a custom login_required decorator; archive name goes into a tar command.
# expect: mamori:python/command-injection line=27
import functools
import subprocess

from flask import Flask, abort, g, request

app = Flask(__name__)


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if getattr(g, "user", None) is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


@app.post("/admin/archive")
@login_required
def archive():
    params = request.form.to_dict()
    archive_name = params.get("name", "backup")
    cmd = "tar -czf /backups/" + archive_name + ".tgz /srv/data"
    subprocess.run(cmd, shell=True, check=True)
    return {"archive": archive_name}
