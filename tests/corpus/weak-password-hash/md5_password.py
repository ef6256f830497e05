# Password hashed with md5.
# expect: mamori:python/weak-password-hash line=10
from flask import Flask, request

app = Flask(__name__)

import hashlib

def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()

@app.post("/register")
def register():
    return {"hash": hash_password(request.form["password"])}
