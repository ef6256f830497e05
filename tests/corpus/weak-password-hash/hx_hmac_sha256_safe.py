# Webhook signature with HMAC-SHA256.
# expect: none
import hashlib
import hmac
import os

from flask import Flask, abort, request

app = Flask(__name__)
SECRET = os.environ["WEBHOOK_SECRET"].encode()


@app.post("/webhooks/git")
def git_webhook():
    sig = hmac.new(SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, request.headers.get("X-Hub-Signature-256", "")[7:]):
        abort(401)
    return {"ok": True}
