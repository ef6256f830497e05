# item_row (fastapi-query, strip): untrusted request data reaches the sink
# expect: mamori:python/xss line=11
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()

@app.get("/items")
def item_row(label: str):
    label = label.strip()
    return HTMLResponse("<li>" + label + "</li>")
