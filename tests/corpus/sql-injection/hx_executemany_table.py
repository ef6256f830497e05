# Bulk import into a table named in the JSON body.
# expect: mamori:python/sql-injection line=16
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def bulk_import():
    payload = request.get_json()
    table = payload["table"]
    rows = [(r["name"], r["value"]) for r in payload["rows"]]
    db = sqlite3.connect("data.db")
    db.executemany(f"INSERT INTO {table} (name, value) VALUES (?, ?)", rows)
    db.commit()
    return {"inserted": len(rows)}
