import tokens


def test_token_shape():
    t = tokens.password_reset_token()
    assert len(t) == 32
    assert set(t) <= set(tokens.ALPHABET)


def test_tokens_differ():
    assert tokens.password_reset_token() != tokens.password_reset_token()
