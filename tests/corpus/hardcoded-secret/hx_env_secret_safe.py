# Secrets read from the environment.
# expect: none
import os

from flask import Flask

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///dev.db")
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
