# trigger_deploy (fastapi-path, dict): untrusted request data reaches the sink
# expect: mamori:python/ssrf line=11
from fastapi import FastAPI
import requests

app = FastAPI()

@app.get("/deploy/{webhook}")
def trigger_deploy(webhook: str):
    options = {"webhook": webhook, "page_size": "50"}
    requests.post(f"{options["webhook"]}/hooks/deploy", json={"event": "deploy"}, timeout=5)
    return {"status": "ok"}
