import hashlib
import time

import accounts


def test_not_a_single_fast_hash():
    enc = accounts.make_password("hunter2")
    # a stored value must not be checkable with one fast digest of salt + password
    for sep in ("$", ":"):
        if sep in enc:
            salt, digest = enc.rsplit(sep, 1)
            for algo in ("sha1", "sha256", "md5"):
                assert hashlib.new(algo, (salt + "hunter2").encode()).hexdigest() != digest
    start = time.perf_counter()
    accounts.verify_password("hunter2", enc)
    # a key-derivation function costs real work (milliseconds, not microseconds)
    assert time.perf_counter() - start > 0.005
