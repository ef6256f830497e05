# Analytics export with pandas.read_sql and an f-string filter.
# expect: mamori:python/sql-injection line=15
import sqlite3

import pandas as pd
from flask import Flask, request

app = Flask(__name__)


@app.get("/analytics/export")
def export():
    campaign = request.args.get("campaign", "")
    conn = sqlite3.connect("analytics.db")
    df = pd.read_sql(f"SELECT * FROM events WHERE campaign = '{campaign}'", conn)
    return df.to_csv(index=False), 200, {"Content-Type": "text/csv"}
