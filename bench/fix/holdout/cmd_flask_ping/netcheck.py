import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/lookup")
def lookup():
    host = request.args.get("host", "localhost")
    proc = subprocess.run("getent hosts " + host, shell=True, capture_output=True, text=True)
    return jsonify(ok=proc.returncode == 0, output=proc.stdout)
