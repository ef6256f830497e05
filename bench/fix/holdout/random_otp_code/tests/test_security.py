import random

import otp


def test_code_not_predictable_from_the_random_seed():
    codes = []
    for _ in range(3):
        random.seed(99)
        codes.append(otp.issue_code(1))
    assert len(set(codes)) > 1
