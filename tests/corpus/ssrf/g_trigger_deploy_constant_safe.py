# trigger_deploy (fastapi-path, dict): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
import requests

app = FastAPI()
DEFAULT_WEBHOOK = "default"

@app.get("/deploy/{webhook}")
def trigger_deploy(webhook: str):
    # The client-supplied webhook is no longer honoured; the default always applies.
    webhook = DEFAULT_WEBHOOK
    options = {"webhook": webhook, "page_size": "50"}
    requests.post(f"{options["webhook"]}/hooks/deploy", json={"event": "deploy"}, timeout=5)
    return {"status": "ok"}
