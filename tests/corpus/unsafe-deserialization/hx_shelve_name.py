# Per-user shelve database opened by a name from the query string.
# expect: mamori:python/unsafe-deserialization line=13
import shelve

from flask import Flask, request

app = Flask(__name__)


@app.get("/prefs")
def prefs():
    user = request.args.get("user", "anon")
    with shelve.open(f"/srv/prefs/{user}") as db:
        return {"theme": db.get("theme", "light")}
