# Webhook verification compares an md5 of secret + body with the signature header.
# expect: mamori:python/weak-password-hash line=14
import hashlib
import os

from flask import Flask, abort, request

app = Flask(__name__)
WEBHOOK_SECRET = os.environ.get("WEBHOOK_SECRET", "")


@app.post("/webhooks/payments")
def payments_webhook():
    expected = hashlib.md5(WEBHOOK_SECRET.encode() + request.get_data()).hexdigest()
    if request.headers.get("X-Signature") != expected:
        abort(401)
    return {"ok": True}
