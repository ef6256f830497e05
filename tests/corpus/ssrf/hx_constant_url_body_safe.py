# Fixed URL; user data is only the JSON payload.
# expect: none
import httpx
from flask import Flask, request

app = Flask(__name__)
SLACK_WEBHOOK = "https://hooks.slack.example.com/services/T000/B000"


@app.post("/feedback")
def feedback():
    text = request.form.get("text", "")
    httpx.post(SLACK_WEBHOOK, json={"text": text}, timeout=5)
    return {"sent": True}
