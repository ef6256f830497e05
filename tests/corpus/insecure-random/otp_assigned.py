# A one-time code from randint stored as otp.
# expect: mamori:python/insecure-random line=6
import random

def start_login(user):
    otp = random.randint(100000, 999999)
    user.pending_otp = otp
    return user
