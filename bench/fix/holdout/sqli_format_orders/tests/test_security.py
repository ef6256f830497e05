import sqlite3

import orders


def test_status_injection_does_not_leak_other_customers():
    conn = sqlite3.connect(":memory:")
    orders.setup(conn)
    conn.execute("INSERT INTO orders (customer_id, status, total) VALUES (2, 'open', 99.0)")
    try:
        rows = orders.orders_for_customer(conn, 1, "x' OR '1'='1")
    except Exception:
        rows = []
    assert rows == []
