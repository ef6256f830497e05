# sha1 as a content checksum for uploaded files: not a security use.
# expect: none
import hashlib


def file_checksum(path: str) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()
