# SQLAlchemy text() with named bind parameters.
# expect: none
from flask import Flask, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("sqlite:///shop.db")


@app.route("/coupons/<code>")
def coupon(code: str):
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT discount FROM coupons WHERE code = :code AND region = :region"),
            {"code": code, "region": request.headers.get("X-Region", "eu")},
        ).first()
    return {"discount": row[0] if row else 0}
