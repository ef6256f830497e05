# Report filters appended with += in a loop, then run through SQLAlchemy text().
# expect: mamori:python/sql-injection line=19
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
db = SQLAlchemy(app)


@app.get("/reports/sales")
def sales_report():
    sql = "SELECT region, SUM(total) FROM sales WHERE 1=1"
    for field in ("region", "channel"):
        value = request.args.get(field)
        if value:
            sql += f" AND {field} = '{value}'"
    sql += " GROUP BY region"
    rows = db.session.execute(text(sql)).all()
    return {"rows": [list(r) for r in rows]}
