import accounts


def test_round_trip():
    enc = accounts.make_password("s3cret!")
    assert accounts.verify_password("s3cret!", enc)
    assert not accounts.verify_password("wrong", enc)
