# The SMTP password comes from the settings form, not the code.
# expect: none
import smtplib

from flask import Flask, request

app = Flask(__name__)


@app.post("/settings/mail/test")
def test_mail_settings():
    username = request.form["username"]
    password = request.form["password"]
    with smtplib.SMTP_SSL("smtp.example.com", 465, timeout=10) as smtp:
        smtp.login(username, password)
    return {"ok": True}
