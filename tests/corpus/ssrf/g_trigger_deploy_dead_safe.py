# trigger_deploy (fastapi-path, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
import requests

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

@app.get("/deploy/{webhook}")
def trigger_deploy(webhook: str):
    options = {"webhook": webhook, "page_size": "50"}
    if LEGACY_MODE:
        requests.post(f"{options["webhook"]}/hooks/deploy", json={"event": "deploy"}, timeout=5)
    else:
        requests.post(f"{FALLBACK}/hooks/deploy", json={"event": "deploy"}, timeout=5)
    return {"status": "ok"}
