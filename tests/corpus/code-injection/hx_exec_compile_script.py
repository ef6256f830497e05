# Automation hooks: user scripts from the JSON body are compiled and executed.
# expect: mamori:python/code-injection line=12
from flask import Flask, request

app = Flask(__name__)


@app.post("/hooks/run")
def run_hook():
    payload = request.get_json()
    source = payload["script"]
    code = compile(source, "<hook>", "exec")
    scope: dict = {}
    exec(code, scope)
    return {"result": repr(scope.get("result"))}
