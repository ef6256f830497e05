# Basic auth credentials passed as a literal tuple.
# expect: mamori:python/hardcoded-secret line=8
import requests


def fetch_metrics() -> dict:
    resp = requests.get("https://metrics.internal/api/v1/summary",
                        auth=("metrics-reader", "Mx7!reader-2024"), timeout=5)
    return resp.json()
