# A theme cookie is echoed into an inline style block.
# expect: mamori:python/xss line=12
from flask import Flask, request

app = Flask(__name__)


@app.get("/")
def index():
    theme = request.cookies.get("theme", "light")
    page = "<html><head><style>body { background: %s }</style></head><body>Hi</body></html>"
    return page % theme
