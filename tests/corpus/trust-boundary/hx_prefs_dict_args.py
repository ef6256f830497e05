# Preferences stored in the session as a dict built from query parameters.
# expect: mamori:python/trust-boundary line=14
from flask import Blueprint, request, session

prefs_bp = Blueprint("prefs", __name__)


@prefs_bp.get("/prefs/apply")
def apply_prefs():
    prefs = {
        "theme": request.args.get("theme", "light"),
        "lang": request.args.get("lang", "en"),
    }
    session["prefs"] = prefs
    return {"ok": True}
