import urllib.request

MAX_BYTES = 1_000_000


def fetch_avatar(url):
    """Download a user's avatar from the URL they gave in their profile."""
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read(MAX_BYTES)


def is_image(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff"
