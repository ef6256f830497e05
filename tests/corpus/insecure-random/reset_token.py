# Password reset token from random.choice.
# expect: mamori:python/insecure-random line=7
import random
import string

def new_reset_token():
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(32))
