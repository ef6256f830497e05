# Invite codes for a private beta, built with random.choice.
# expect: mamori:python/insecure-random line=13
import random
import string

from flask import Flask

app = Flask(__name__)


@app.post("/invites")
def create_invite():
    invite_code = "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(10))
    return {"invite_code": invite_code}, 201
