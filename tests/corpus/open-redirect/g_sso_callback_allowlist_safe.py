# sso_callback (fastapi-query, direct): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()
ALLOWED_REDIRECT_URIS = frozenset({"alpha", "beta", "main"})

@app.get("/sso/callback")
def sso_callback(redirect_uri: str):
    if redirect_uri not in ALLOWED_REDIRECT_URIS:
        raise ValueError("unsupported redirect_uri")
    return RedirectResponse(url=redirect_uri)
