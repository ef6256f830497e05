# Default headers for a vendor client carry an API key literal.
# expect: mamori:python/hardcoded-secret line=7
import requests

DEFAULT_HEADERS = {
    "Accept": "application/json",
    "X-API-Key": "7c9e6679f4b24a1e9d3b2a8c5e1f0d6b",
}


def vendor_get(path: str) -> dict:
    return requests.get(f"https://vendor.example.com{path}", headers=DEFAULT_HEADERS, timeout=5).json()
