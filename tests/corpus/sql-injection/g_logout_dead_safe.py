# logout (fastapi-query, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
import sqlite3

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

@app.get("/logout")
def logout(token: str):
    options = {"token": token, "page_size": "50"}
    if LEGACY_MODE:
        db = sqlite3.connect("auth.db")
        cur = db.cursor()
        cur.execute(f"DELETE FROM sessions WHERE token = '{options["token"]}'")
        db.commit()
    else:
        db = sqlite3.connect("auth.db")
        cur = db.cursor()
        cur.execute(f"DELETE FROM sessions WHERE token = '{FALLBACK}'")
        db.commit()
    return {"status": "ok"}
