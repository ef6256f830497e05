import auth


def test_good_credentials():
    assert auth.login("bob", "builder") == "user"


def test_bad_password():
    assert auth.login("bob", "nope") is None
