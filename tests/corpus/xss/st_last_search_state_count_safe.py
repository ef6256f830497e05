# The module-level state object keeps the search text, but the dashboard shows only the
# counter.
# expect: none
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
    return f"<p>Searches: {STATE.count}</p>"
