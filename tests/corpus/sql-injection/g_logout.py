# logout (fastapi-query, dict): untrusted request data reaches the sink
# expect: mamori:python/sql-injection line=13
from fastapi import FastAPI
import sqlite3

app = FastAPI()

@app.get("/logout")
def logout(token: str):
    options = {"token": token, "page_size": "50"}
    db = sqlite3.connect("auth.db")
    cur = db.cursor()
    cur.execute(f"DELETE FROM sessions WHERE token = '{options["token"]}'")
    db.commit()
    return {"status": "ok"}
