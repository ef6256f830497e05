# A module-level state object remembers the last search; the dashboard echoes it back.
# expect: mamori:python/xss line=28
from dataclasses import dataclass

from flask import Flask, request

app = Flask(__name__)


@dataclass
class SearchState:
    last_query: str = ""
    count: int = 0


STATE = SearchState()


@app.get("/search")
def search():
    STATE.last_query = request.args.get("q", "")
    STATE.count += 1
    return {"results": []}


@app.get("/dashboard")
def dashboard():
    return f"<p>Searches: {STATE.count}</p><p>Last: {STATE.last_query}</p>"
