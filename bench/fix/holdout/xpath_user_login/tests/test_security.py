import auth


def test_injection_does_not_log_in():
    try:
        role = auth.login("alice", "x' or '1'='1")
    except Exception:
        role = None
    assert role is None
