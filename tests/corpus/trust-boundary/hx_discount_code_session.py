# A discount code from the query string is remembered in the session for later.
# expect: mamori:python/trust-boundary line=12
from flask import Blueprint, request, session

promo_bp = Blueprint("promo", __name__)


@promo_bp.get("/promo")
def promo_landing():
    code = request.args.get("code")
    if code:
        session["discount_code"] = code.upper()
    return {"applied": bool(code)}
