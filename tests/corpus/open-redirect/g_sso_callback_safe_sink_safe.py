# sso_callback (fastapi-query, direct): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()

@app.get("/sso/callback")
def sso_callback(redirect_uri: str):
    return RedirectResponse(url="/docs#" + redirect_uri)
