# A session id from random.getrandbits.
# expect: mamori:python/insecure-random line=7
import random


def new_session(user_id: int) -> dict:
    session_id = "%032x" % random.getrandbits(128)
    return {"user": user_id, "sid": session_id}
