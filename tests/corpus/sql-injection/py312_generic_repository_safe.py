# Python 3.12 code (PEP 695, PEP 701): the same repository with parameter binding: safe.
# expect: none
import sqlite3
from dataclasses import dataclass

from flask import Flask, request

app = Flask(__name__)

type Row = tuple[int, str]


@dataclass
class Repository[T]:
    table: str

    def connect(self) -> sqlite3.Connection:
        return sqlite3.connect("inventory.db")


def find_rows[T](repo: Repository[T], name: str) -> list[Row]:
    conn = repo.connect()
    return conn.execute(f"SELECT id, name FROM {repo.table} WHERE name = ?", (name,)).fetchall()


@app.route("/items")
def items():
    rows = find_rows(Repository[str]("items"), request.args["name"])
    return {"rows": [f"{r[0]}:{r[1]}" for r in rows], "q": f"{request.args.get("name", "")}"}
