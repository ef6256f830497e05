# The id is cast to int before formatting: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/order")
def order():
    oid = int(request.args["id"])
    db = sqlite3.connect("app.db")
    row = db.execute("SELECT * FROM orders WHERE id = %d" % oid).fetchone()
    return {"found": row is not None}
