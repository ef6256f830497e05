# item_row (fastapi-query, strip): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()
DEFAULT_LABEL = "default"

@app.get("/items")
def item_row(label: str):
    # The client-supplied label is no longer honoured; the default always applies.
    label = DEFAULT_LABEL
    label = label.strip()
    return HTMLResponse("<li>" + label + "</li>")
