# urllib urlopen on a JSON body field.
# expect: mamori:python/ssrf line=12
from flask import Flask, request

app = Flask(__name__)

from urllib.request import urlopen

@app.post("/webhook-test")
def webhook_test():
    target = request.get_json()["callback"]
    with urlopen(target, timeout=3) as r:
        return {"status": r.status}
