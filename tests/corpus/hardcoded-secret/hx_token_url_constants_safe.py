# OAuth endpoint URLs and header names, no credentials.
# expect: none
OAUTH_TOKEN_URL = "https://auth.example.com/oauth/token"
OAUTH_AUTHORIZE_URL = "https://auth.example.com/oauth/authorize"
API_KEY_HEADER = "X-Api-Key"
AUTH_TOKEN_COOKIE = "auth_token"
