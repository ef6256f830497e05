import users


def _db():
    conn = users.connect()
    users.init_schema(conn)
    conn.executemany(
        "INSERT INTO users (email, name) VALUES (?, ?)",
        [("alice@example.com", "Alice"), ("bob@example.com", "Bob")],
    )
    return conn


def test_finds_by_email_case_insensitively():
    conn = _db()
    assert users.find_user_by_email(conn, "Alice@Example.com")["name"] == "Alice"


def test_unknown_email():
    assert users.find_user_by_email(_db(), "carol@example.com") is None

