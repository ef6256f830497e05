# The session stores the id of the user loaded with the ORM, not the submitted e-mail.
# expect: none
from flask import Flask, request, session
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash

app = Flask(__name__)
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(120), unique=True)
    pw_hash = db.Column(db.String(200))


@app.post("/login")
def login():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.pw_hash, request.form["password"]):
        return {"error": "invalid"}, 401
    session["user_id"] = user.id
    return {"ok": True}
