# A debug console guarded by a module constant that is False in this build.
# expect: none
from flask import Flask, request

app = Flask(__name__)
ENABLE_DEBUG_CONSOLE = False


@app.post("/debug/eval")
def debug_eval():
    if not ENABLE_DEBUG_CONSOLE:
        return {"error": "disabled"}, 404
    return {"result": repr(eval(request.form["expr"]))}
