# A database password passed as a literal.
# expect: mamori:python/hardcoded-secret line=7
import psycopg2


def connect():
    db_password = "Pr0d-Db-Pa55!"
    return psycopg2.connect(host="db.internal", user="shop", password=db_password)
