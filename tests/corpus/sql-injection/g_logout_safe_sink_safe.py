# logout (fastapi-query, dict): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
import sqlite3

app = FastAPI()

@app.get("/logout")
def logout(token: str):
    options = {"token": token, "page_size": "50"}
    db = sqlite3.connect("auth.db")
    cur = db.cursor()
    cur.execute("DELETE FROM sessions WHERE token = ?", [options["token"]])
    db.commit()
    return {"status": "ok"}
