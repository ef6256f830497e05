# trigger_deploy (fastapi-path, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ssrf line=13
from fastapi import FastAPI
import requests
import html

app = FastAPI()

@app.get("/deploy/{webhook}")
def trigger_deploy(webhook: str):
    webhook = html.escape(webhook)
    options = {"webhook": webhook, "page_size": "50"}
    requests.post(f"{options["webhook"]}/hooks/deploy", json={"event": "deploy"}, timeout=5)
    return {"status": "ok"}
