# item_row (fastapi-query, strip): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.responses import PlainTextResponse

app = FastAPI()

@app.get("/items")
def item_row(label: str):
    label = label.strip()
    return PlainTextResponse(label)
