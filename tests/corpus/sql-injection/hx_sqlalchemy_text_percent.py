# SQLAlchemy text() with %-formatting of a JSON field.
# expect: mamori:python/sql-injection line=15
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
db = SQLAlchemy(app)


@app.post("/orders/status")
def order_status():
    body = request.get_json()
    status = body["status"]
    stmt = text("SELECT id, total FROM orders WHERE status = '%s'" % status)
    rows = db.session.execute(stmt).all()
    return {"orders": [dict(r._mapping) for r in rows]}
