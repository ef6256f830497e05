# trigger_deploy (fastapi-path, dict): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
import requests

app = FastAPI()
ALLOWED_WEBHOOKS = frozenset({"alpha", "beta", "main"})

@app.get("/deploy/{webhook}")
def trigger_deploy(webhook: str):
    if webhook not in ALLOWED_WEBHOOKS:
        raise ValueError("unsupported webhook")
    options = {"webhook": webhook, "page_size": "50"}
    requests.post(f"{options["webhook"]}/hooks/deploy", json={"event": "deploy"}, timeout=5)
    return {"status": "ok"}
