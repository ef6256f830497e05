# md5 explicitly marked as not for security (cache bucket of a file name).
# expect: none
import hashlib


def bucket_for(filename: str, buckets: int = 64) -> int:
    digest = hashlib.md5(filename.encode(), usedforsecurity=False).digest()
    return digest[0] % buckets
