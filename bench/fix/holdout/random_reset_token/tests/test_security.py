import random

import tokens


def test_token_not_predictable_from_the_random_seed():
    random.seed(1234)
    first = tokens.password_reset_token()
    random.seed(1234)
    assert tokens.password_reset_token() != first
