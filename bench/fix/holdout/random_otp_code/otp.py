import random
import time

_codes = {}


def issue_code(user_id):
    code = str(random.randint(100000, 999999))
    _codes[user_id] = (code, time.time() + 300)
    return code


def verify_code(user_id, code):
    expected, expires = _codes.get(user_id, (None, 0))
    return expected is not None and time.time() < expires and code == expected
