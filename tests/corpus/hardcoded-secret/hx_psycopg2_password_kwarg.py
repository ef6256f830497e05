# Database connection with the password written in the code.
# expect: mamori:python/hardcoded-secret line=12
import psycopg2
from flask import Flask, g

app = Flask(__name__)


def get_conn():
    if "conn" not in g:
        g.conn = psycopg2.connect(host="db.internal", dbname="shop", user="shop_app",
                                  password="Sh0p!Pr0d#2024")
    return g.conn
