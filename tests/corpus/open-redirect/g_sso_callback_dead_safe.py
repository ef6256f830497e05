# sso_callback (fastapi-query, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

@app.get("/sso/callback")
def sso_callback(redirect_uri: str):
    if LEGACY_MODE:
        return RedirectResponse(url=redirect_uri)
    else:
        return RedirectResponse(url=FALLBACK)
