# Signed JSON state from a cookie (itsdangerous), no pickle involved.
# expect: none
from flask import Flask, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

app = Flask(__name__)


@app.get("/wizard")
def wizard():
    s = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="wizard")
    try:
        state = s.loads(request.cookies.get("wizard", ""))
    except BadSignature:
        state = {}
    return {"step": state.get("step", 1)}
