# sso_callback (fastapi-query, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/open-redirect line=12
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
import html

app = FastAPI()

@app.get("/sso/callback")
def sso_callback(redirect_uri: str):
    redirect_uri = html.escape(redirect_uri)
    return RedirectResponse(url=redirect_uri)
