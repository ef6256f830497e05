# The operation name selects a constant expression; only the operands come from the user.
# expect: none
from flask import Flask, abort, request

app = Flask(__name__)
OPERATIONS = {"add": "a + b", "sub": "a - b", "mul": "a * b"}


@app.get("/op/<name>")
def op(name: str):
    if name not in OPERATIONS:
        abort(404)
    a = float(request.args.get("a", 0))
    b = float(request.args.get("b", 0))
    return {"result": eval(OPERATIONS[name], {"__builtins__": {}}, {"a": a, "b": b})}
