# item_row (fastapi-query, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()

@app.get("/items")
def item_row(label: str):
    options = {"label": label, "page_size": "50"}
    return HTMLResponse("<li>" + options["page_size"] + "</li>")
