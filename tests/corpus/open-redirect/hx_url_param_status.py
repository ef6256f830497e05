# Link tracker: log the click, then redirect with an explicit status code.
# expect: mamori:python/open-redirect line=17
import logging

from flask import Blueprint, redirect, request

track_bp = Blueprint("track", __name__)
log = logging.getLogger(__name__)


@track_bp.get("/t")
def track():
    url = request.args.get("url")
    if not url:
        return "missing url", 400
    log.info("click %s", url)
    return redirect(url, 302)
