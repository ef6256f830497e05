import sqlite3


def create_tables(db):
    db.execute(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, is_admin INTEGER DEFAULT 0)"
    )


def change_email(db: sqlite3.Connection, user_id: int, new_email: str) -> None:
    """Called from the profile form."""
    db.execute("UPDATE users SET email = '%s' WHERE id = %d" % (new_email, user_id))
    db.commit()


def get_user(db, user_id):
    return db.execute("SELECT email, is_admin FROM users WHERE id = ?", (user_id,)).fetchone()
