import directory


def test_wildcard_does_not_list_everyone(conn):
    try:
        found = directory.find_user(conn, "*")
    except Exception:
        found = []
    assert found == []
