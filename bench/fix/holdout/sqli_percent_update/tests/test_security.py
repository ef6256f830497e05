import sqlite3

import accounts


def test_email_cannot_escalate_privileges():
    db = sqlite3.connect(":memory:")
    accounts.create_tables(db)
    db.execute("INSERT INTO users (email) VALUES ('a@example.com')")
    try:
        accounts.change_email(db, 1, "evil@example.com', is_admin = 1 WHERE id = 1 --")
    except Exception:
        pass
    assert accounts.get_user(db, 1)[1] == 0
