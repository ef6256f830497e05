# md5 used to sign a token (CWE-328).
# expect: mamori:python/weak-password-hash line=8
import hashlib

SHARED = "x"

def sign(payload: str) -> str:
    signature = hashlib.md5((SHARED + payload).encode()).hexdigest()
    return payload + "." + signature
