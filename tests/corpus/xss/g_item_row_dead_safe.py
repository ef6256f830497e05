# item_row (fastapi-query, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

@app.get("/items")
def item_row(label: str):
    label = label.strip()
    if LEGACY_MODE:
        return HTMLResponse("<li>" + label + "</li>")
    else:
        return HTMLResponse("<li>" + FALLBACK + "</li>")
