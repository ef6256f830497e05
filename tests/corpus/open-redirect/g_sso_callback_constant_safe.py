# sso_callback (fastapi-query, direct): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()
DEFAULT_REDIRECT_URI = "default"

@app.get("/sso/callback")
def sso_callback(redirect_uri: str):
    # The client-supplied redirect_uri is no longer honoured; the default always applies.
    redirect_uri = DEFAULT_REDIRECT_URI
    return RedirectResponse(url=redirect_uri)
