import users


def test_injection_does_not_return_another_user():
    conn = users.connect()
    users.init_schema(conn)
    conn.execute("INSERT INTO users (email, name) VALUES ('admin@example.com', 'Admin')")
    try:
        found = users.find_user_by_email(conn, "nobody') OR 1=1 --")
    except Exception:
        found = None
    assert found is None
