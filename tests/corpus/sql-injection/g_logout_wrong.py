# logout (fastapi-query, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/sql-injection line=15
from fastapi import FastAPI
import sqlite3
import html

app = FastAPI()

@app.get("/logout")
def logout(token: str):
    token = html.escape(token)
    options = {"token": token, "page_size": "50"}
    db = sqlite3.connect("auth.db")
    cur = db.cursor()
    cur.execute(f"DELETE FROM sessions WHERE token = '{options["token"]}'")
    db.commit()
    return {"status": "ok"}
