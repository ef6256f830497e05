# Clearing a cookie by setting it empty with expires=0 and full flags.
# expect: none
from flask import Flask, make_response, redirect

app = Flask(__name__)


@app.get("/logout")
def logout():
    resp = make_response(redirect("/"))
    resp.set_cookie("session_id", "", expires=0, secure=True, httponly=True)
    return resp
