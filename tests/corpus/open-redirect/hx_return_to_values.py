# Logout redirects to the return_to parameter from either query or form.
# expect: mamori:python/open-redirect line=12
from flask import Blueprint, redirect, request, session

auth_bp = Blueprint("auth", __name__)


@auth_bp.route("/logout", methods=["GET", "POST"])
def logout():
    session.clear()
    target = request.values.get("return_to", "/")
    return redirect(target, code=303)
