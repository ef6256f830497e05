# Registration uses a salted sha1 of the password.
# expect: mamori:python/weak-password-hash line=15
import hashlib
import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/register")
def register():
    pw = request.form["password"]
    salt = os.urandom(8).hex()
    pw_hash = hashlib.sha1((salt + pw).encode()).hexdigest()
    return {"stored": f"{salt}${pw_hash}"}
