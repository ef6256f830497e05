# bcrypt for passwords; md5 only for an avatar cache key: safe.
# expect: none
import hashlib

import bcrypt
from flask import Flask, request

app = Flask(__name__)

@app.post("/register")
def register():
    password = request.form["password"]
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    avatar_key = hashlib.md5(request.form["email"].lower().encode()).hexdigest()
    return {"hash_len": len(hashed), "avatar": f"https://gravatar.example/{avatar_key}"}
