# logout (fastapi-query, dict): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
import sqlite3

app = FastAPI()
DEFAULT_TOKEN = "books"

@app.get("/logout")
def logout(token: str):
    # The client-supplied token is no longer honoured; the default always applies.
    token = DEFAULT_TOKEN
    options = {"token": token, "page_size": "50"}
    db = sqlite3.connect("auth.db")
    cur = db.cursor()
    cur.execute(f"DELETE FROM sessions WHERE token = '{options["token"]}'")
    db.commit()
    return {"status": "ok"}
