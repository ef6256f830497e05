# sso_callback (fastapi-query, direct): untrusted request data reaches the sink
# expect: mamori:python/open-redirect line=10
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()

@app.get("/sso/callback")
def sso_callback(redirect_uri: str):
    return RedirectResponse(url=redirect_uri)
