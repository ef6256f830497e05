import passwords


def test_check_good_password():
    stored = passwords.hash_password("correct horse")
    assert passwords.check_password("correct horse", stored)


def test_check_bad_password():
    stored = passwords.hash_password("correct horse")
    assert not passwords.check_password("battery staple", stored)
