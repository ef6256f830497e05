# sso_callback (fastapi-query, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()

@app.get("/sso/callback")
def sso_callback(redirect_uri: str):
    options = {"redirect_uri": redirect_uri, "page_size": "50"}
    return RedirectResponse(url=options["page_size"])
