# FastAPI int parameter only: safe.
# expect: none
import sqlite3
from fastapi import FastAPI

app = FastAPI()

@app.get("/users/{user_id}")
def user(user_id: int):
    db = sqlite3.connect("app.db")
    row = db.execute(f"SELECT * FROM users WHERE id = {user_id}").fetchone()
    return {"found": row is not None}
