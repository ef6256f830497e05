# logout (fastapi-query, dict): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
import sqlite3

app = FastAPI()
ALLOWED_TOKENS = frozenset({"alpha", "beta", "main"})

@app.get("/logout")
def logout(token: str):
    if token not in ALLOWED_TOKENS:
        raise ValueError("unsupported token")
    options = {"token": token, "page_size": "50"}
    db = sqlite3.connect("auth.db")
    cur = db.cursor()
    cur.execute(f"DELETE FROM sessions WHERE token = '{options["token"]}'")
    db.commit()
    return {"status": "ok"}
