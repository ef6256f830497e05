# Admin "migration" endpoint runs the raw request body as a script.
# expect: mamori:python/sql-injection line=14
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.post("/admin/migrate")
def migrate():
    script = request.get_data(as_text=True)
    with sqlite3.connect("app.db") as db:
        db.executescript(script)
    return "", 204
