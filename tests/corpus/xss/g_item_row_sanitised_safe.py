# item_row (fastapi-query, strip): the value is sanitised for this sink first: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
import html

app = FastAPI()

@app.get("/items")
def item_row(label: str):
    label = html.escape(label)
    label = label.strip()
    return HTMLResponse("<li>" + label + "</li>")
