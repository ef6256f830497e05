# FastAPI endpoint parameter formatted into SQL.
# expect: mamori:python/sql-injection line=11
import sqlite3
from fastapi import FastAPI

app = FastAPI()

@app.get("/users")
def users(name: str, limit: int = 10):
    db = sqlite3.connect("app.db")
    rows = db.execute(f"SELECT * FROM users WHERE name = '{name}' LIMIT {limit}").fetchall()
    return {"n": len(rows)}
