# Async view; the repository method concatenates the username into the query.
# expect: mamori:python/sql-injection line=16
import sqlite3

from flask import Flask, request

app = Flask(__name__)


class UserRepository:
    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, check_same_thread=False)

    def by_username(self, username: str):
        query = "SELECT id, email FROM users WHERE username = '" + username + "'"
        return self.conn.execute(query).fetchone()


repo = UserRepository("users.db")


@app.get("/api/users/<username>")
async def get_user(username: str):
    row = repo.by_username(username)
    return {"id": row[0]} if row else ({"error": "not found"}, 404)
