# JWT signed with a key written into the call.
# expect: mamori:python/hardcoded-secret line=14
import datetime

import jwt
from flask import Flask, request

app = Flask(__name__)


@app.post("/token")
def token():
    payload = {"sub": request.form["user"], "exp": datetime.datetime.utcnow() + datetime.timedelta(hours=1)}
    return {"token": jwt.encode(payload, "my-super-secret-jwt-key-2024", algorithm="HS256")}
