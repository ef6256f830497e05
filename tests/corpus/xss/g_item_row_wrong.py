# item_row (fastapi-query, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xss line=13
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
import shlex

app = FastAPI()

@app.get("/items")
def item_row(label: str):
    label = shlex.quote(label)
    label = label.strip()
    return HTMLResponse("<li>" + label + "</li>")
