# Only an integer id goes into the URL of a fixed service.
# expect: none
import requests
from flask import Flask, request

app = Flask(__name__)


@app.get("/users/remote")
def remote_user():
    uid = request.args.get("id", type=int)
    if uid is None:
        return {"error": "id required"}, 400
    resp = requests.get(f"https://users.internal.example.com/api/users/{uid}", timeout=5)
    return resp.json()
