# JWT key read from the app config, which is loaded from the environment.
# expect: none
import os

import jwt
from flask import Flask, current_app, request

app = Flask(__name__)
app.config["JWT_SECRET"] = os.environ["JWT_SECRET"]


@app.post("/token")
def token():
    payload = {"sub": request.form["user"]}
    return {"token": jwt.encode(payload, current_app.config["JWT_SECRET"], algorithm="HS256")}
