# logout (fastapi-query, dict): the value is sanitised for this sink first: safe
# expect: none
from fastapi import FastAPI
import sqlite3

app = FastAPI()

@app.get("/logout")
def logout(token: str):
    token = int(token)
    options = {"token": token, "page_size": "50"}
    db = sqlite3.connect("auth.db")
    cur = db.cursor()
    cur.execute(f"DELETE FROM sessions WHERE token = '{options["token"]}'")
    db.commit()
    return {"status": "ok"}
