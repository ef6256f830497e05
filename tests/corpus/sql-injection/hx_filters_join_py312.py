# Query builder with a PEP 695 type alias: filters joined with AND from request.args.
# expect: mamori:python/sql-injection line=21
import sqlite3

from flask import Flask, request

app = Flask(__name__)

type Filters = dict[str, str]


def build_where(filters: Filters) -> str:
    clauses = [f"{col} = '{val}'" for col, val in filters.items()]
    return " AND ".join(clauses) if clauses else "1=1"


@app.get("/tickets")
def tickets():
    filters: Filters = {k: v for k, v in request.args.items() if k in ("state", "owner")}
    db = sqlite3.connect("tickets.db")
    rows = db.execute(f"SELECT * FROM tickets WHERE {build_where(filters)}").fetchall()
    return {"count": len(rows)}
