import json
import urllib.request

STRIPE_API_KEY = "sk_live_51HxQ2vLkP9aT7mZ3rW8yB4nC6dE0fG"


def auth_headers():
    return {"Authorization": f"Bearer {STRIPE_API_KEY}", "Content-Type": "application/json"}


def build_charge_request(amount_cents, currency="eur"):
    body = json.dumps({"amount": amount_cents, "currency": currency}).encode()
    return urllib.request.Request(
        "https://api.stripe.example/v1/charges", data=body, headers=auth_headers(), method="POST"
    )


def format_amount(amount_cents, currency="eur"):
    return f"{amount_cents / 100:.2f} {currency.upper()}"
