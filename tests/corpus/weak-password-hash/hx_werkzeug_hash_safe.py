# werkzeug's generate_password_hash for passwords; md5 nowhere near them.
# expect: none
from flask import Flask, request
from werkzeug.security import generate_password_hash

app = Flask(__name__)


@app.post("/register")
def register():
    password = request.form["password"]
    pw_hash = generate_password_hash(password, method="scrypt")
    return {"hash_prefix": pw_hash.split("$", 1)[0]}
