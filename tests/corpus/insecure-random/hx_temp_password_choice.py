# Admin resets a user's password to a random temporary one.
# expect: mamori:python/insecure-random line=8
import random
import string


def reset_to_temporary(user) -> str:
    temp_password = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(12))
    user.set_password(temp_password)
    return temp_password
