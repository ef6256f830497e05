# SQLAlchemy ORM query; the value is bound by the ORM.
# expect: none
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))


@app.get("/users/find")
def find():
    name = request.args.get("name", "")
    users = db.session.execute(db.select(User).where(User.name == name)).scalars().all()
    return {"ids": [u.id for u in users]}
