# Logout deletes the cookie.
# expect: none
from flask import Flask, make_response, redirect

app = Flask(__name__)


@app.post("/logout")
def logout():
    resp = make_response(redirect("/"))
    resp.delete_cookie("auth_token")
    return resp
