# A <int:> route parameter is an int: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/items/<int:item_id>")
def item(item_id):
    db = sqlite3.connect("app.db")
    row = db.execute(f"SELECT * FROM items WHERE id = {item_id}").fetchone()
    return {"found": row is not None}
