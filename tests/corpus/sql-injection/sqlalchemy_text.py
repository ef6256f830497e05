# SQLAlchemy text() built from JSON body.
# expect: mamori:python/sql-injection line=14
from flask import Flask, request

app = Flask(__name__)

from sqlalchemy import create_engine, text

engine = create_engine("sqlite://")

@app.post("/search")
def search():
    term = request.get_json()["term"]
    stmt = text("SELECT * FROM items WHERE name LIKE '%" + term + "%'")
    with engine.connect() as conn:
        return {"n": len(conn.execute(stmt).fetchall())}
