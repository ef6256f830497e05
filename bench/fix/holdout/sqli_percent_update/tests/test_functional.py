import sqlite3

import accounts


def test_change_email():
    db = sqlite3.connect(":memory:")
    accounts.create_tables(db)
    db.execute("INSERT INTO users (email) VALUES ('a@example.com')")
    accounts.change_email(db, 1, "new@example.com")
    assert accounts.get_user(db, 1) == ("new@example.com", 0)
