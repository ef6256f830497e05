import sqlite3

import orders


def _conn():
    conn = sqlite3.connect(":memory:")
    orders.setup(conn)
    conn.executemany(
        "INSERT INTO orders (customer_id, status, total) VALUES (?, ?, ?)",
        [(1, "open", 10.0), (1, "shipped", 5.5), (2, "open", 99.0)],
    )
    return conn


def test_orders_by_customer_and_status():
    assert orders.orders_for_customer(_conn(), 1, "open") == [(1, 10.0)]


def test_no_orders():
    assert orders.orders_for_customer(_conn(), 3, "open") == []
