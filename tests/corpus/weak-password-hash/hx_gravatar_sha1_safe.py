# Gravatar-style avatar URL from a hash of the e-mail address.
# expect: none
import hashlib

from flask import Flask, request

app = Flask(__name__)


@app.get("/avatar")
def avatar():
    email = request.args.get("email", "").strip().lower()
    digest = hashlib.sha1(email.encode()).hexdigest()
    return {"url": f"https://avatars.example.com/{digest}?s=80"}
