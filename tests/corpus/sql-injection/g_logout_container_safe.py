# logout (fastapi-query, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
import sqlite3

app = FastAPI()

@app.get("/logout")
def logout(token: str):
    options = {"token": token, "page_size": "50"}
    db = sqlite3.connect("auth.db")
    cur = db.cursor()
    cur.execute(f"DELETE FROM sessions WHERE token = '{options["page_size"]}'")
    db.commit()
    return {"status": "ok"}
