import directory


def test_find_user(conn):
    assert directory.find_user(conn, "alice") == ["Alice Liddell"]


def test_unknown_user(conn):
    assert directory.find_user(conn, "mallory") == []
