# All flags set; max_age from config.
# expect: none
from flask import Flask, current_app, make_response

app = Flask(__name__)
app.config["REMEMBER_SECONDS"] = 86400 * 14


@app.post("/remember")
def remember():
    resp = make_response({"ok": True})
    resp.set_cookie("remember", "opaque", max_age=current_app.config["REMEMBER_SECONDS"],
                    secure=True, httponly=True, samesite="Strict")
    return resp
