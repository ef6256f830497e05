# Arguments passed as a list, no shell: the host cannot inject a second command.
# expect: none
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/dig")
def dig():
    name = request.args["name"]
    result = subprocess.run(["dig", "+short", "--", name], capture_output=True, text=True,
                            timeout=5, check=False)
    return jsonify(answer=result.stdout.splitlines())
