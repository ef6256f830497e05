import hashlib

import passwords


def test_not_a_fast_unsalted_digest():
    pw = "hunter2"
    stored = passwords.hash_password(pw)
    fast = {hashlib.new(n, pw.encode()).hexdigest() for n in ("md5", "sha1", "sha256", "sha512")}
    assert stored not in fast
    # salted: the same password does not always give the same stored value
    assert passwords.hash_password(pw) != stored
