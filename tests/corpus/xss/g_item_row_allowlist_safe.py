# item_row (fastapi-query, strip): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()
ALLOWED_LABELS = frozenset({"alpha", "beta", "main"})

@app.get("/items")
def item_row(label: str):
    if label not in ALLOWED_LABELS:
        raise ValueError("unsupported label")
    label = label.strip()
    return HTMLResponse("<li>" + label + "</li>")
