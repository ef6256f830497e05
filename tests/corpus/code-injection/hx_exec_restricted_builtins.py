# "Sandboxed" exec with empty builtins is still code execution.
# expect: mamori:python/code-injection line=12
from flask import Flask, request

app = Flask(__name__)


@app.route("/sandbox", methods=["POST"])
def sandbox():
    snippet = request.form.get("code", "")
    env = {"__builtins__": {}}
    exec(snippet, env)
    return {"vars": sorted(k for k in env if not k.startswith("__"))}
