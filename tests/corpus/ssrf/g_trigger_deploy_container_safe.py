# trigger_deploy (fastapi-path, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
import requests

app = FastAPI()

@app.get("/deploy/{webhook}")
def trigger_deploy(webhook: str):
    options = {"webhook": webhook, "page_size": "50"}
    requests.post(f"{options["page_size"]}/hooks/deploy", json={"event": "deploy"}, timeout=5)
    return {"status": "ok"}
