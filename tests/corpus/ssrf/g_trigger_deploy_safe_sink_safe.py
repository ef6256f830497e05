# trigger_deploy (fastapi-path, dict): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
import requests

app = FastAPI()

@app.get("/deploy/{webhook}")
def trigger_deploy(webhook: str):
    options = {"webhook": webhook, "page_size": "50"}
    requests.post("https://hooks.internal.example/deploy", json={"target": options["webhook"]}, timeout=5)
    return {"status": "ok"}
