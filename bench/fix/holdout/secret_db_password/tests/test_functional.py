import db


def test_redact():
    assert db.redact("postgresql://u:p@h:5432/x") == "postgresql://u:***@h:5432/x"
