import sqlite3

STATUSES = ("open", "shipped", "cancelled")


def setup(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, status TEXT, total REAL)"
    )


def orders_for_customer(conn: sqlite3.Connection, customer_id, status):
    query = (
        "SELECT id, total FROM orders WHERE customer_id = {} AND status = '{}' ORDER BY id".format(
            customer_id, status
        )
    )
    return [tuple(r) for r in conn.execute(query)]
