# Module-level API key constant.
# expect: mamori:python/hardcoded-secret line=5
import requests

STRIPE_API_KEY = "sk_live_51H8xKqL2eZvKYlo2C0rT6s9"
PASSWORD_RESET_TEMPLATE = "reset.html"
TOKEN_HEADER = "Authorization"

def charge(amount):
    return requests.post("https://api.stripe.example/charges", auth=(STRIPE_API_KEY, ""), data={"amount": amount}, timeout=5)
