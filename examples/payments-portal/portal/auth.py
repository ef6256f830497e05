"""Sign-in, sign-out, password reset and per-user preferences."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template_string,
    request,
    url_for,
)

from .db import get_db
from .security import check_password, hash_password, new_reset_token, new_session_token

bp = Blueprint("auth", __name__)

SESSION_COOKIE = "portal_session"
LANGUAGES = ("en", "de", "fr")

LOGIN_PAGE = """<!doctype html>
<title>Sign in - Payments Portal</title>
<h1>Sign in</h1>
{% if error %}<p class="error">{{ error }}</p>{% endif %}
<form method="post">
  <label>Username <input name="username" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>
<p><a href="{{ url_for('auth.reset_request') }}">Forgot your password?</a></p>
"""

RESET_REQUEST_PAGE = """<!doctype html>
<title>Reset password - Payments Portal</title>
<h1>Reset your password</h1>
{% if message %}<p>{{ message }}</p>{% endif %}
<form method="post">
  <label>Username <input name="username"></label>
  <button type="submit">Send reset link</button>
</form>
"""

RESET_FORM_PAGE = """<!doctype html>
<title>Choose a new password - Payments Portal</title>
<h1>Choose a new password</h1>
{% if error %}<p class="error">{{ error }}</p>{% endif %}
<form method="post">
  <label>New password <input name="password" type="password" autocomplete="new-password"></label>
  <button type="submit">Save</button>
</form>
"""

MIN_PASSWORD_LENGTH = 10


@bp.before_app_request
def load_user() -> None:
    """Resolve the session cookie to a user row for the rest of the request."""
    g.user = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        g.user = get_db().execute(
            "SELECT u.id, u.username, u.email, u.is_admin FROM sessions s"
            " JOIN users u ON u.id = s.user_id WHERE s.token = ?",
            (token,),
        ).fetchone()


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anonymous visitors to the sign-in page, remembering where they were going."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.path))
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Restrict a view to operations staff."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not g.user["is_admin"]:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Show the sign-in form, or check the credentials and start a session."""
    if request.method == "GET":
        return render_template_string(LOGIN_PAGE, error=None)

    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    db = get_db()
    user = db.execute(
        "SELECT id, password_hash FROM users WHERE username = ?", (username,)
    ).fetchone()
    if user is None or not check_password(password, user["password_hash"]):
        return render_template_string(LOGIN_PAGE, error="Invalid username or password."), 401

    token = new_session_token()
    db.execute("INSERT INTO sessions (token, user_id) VALUES (?, ?)", (token, user["id"]))
    db.commit()
    resp = redirect(request.args.get("next") or url_for("accounts.index"))
    resp.set_cookie(SESSION_COOKIE, token)
    return resp


@bp.get("/logout")
def logout() -> Any:
    """End the current session."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        db = get_db()
        db.execute("DELETE FROM sessions WHERE token = ?", (token,))
        db.commit()
    resp = redirect(url_for("auth.login"))
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@bp.route("/reset", methods=["GET", "POST"])
def reset_request() -> Any:
    """Issue a password reset token for the named user.

    The answer is the same whether or not the user exists, so the form cannot be
    used to discover usernames.
    """
    if request.method == "GET":
        return render_template_string(RESET_REQUEST_PAGE, message=None)
    username = request.form.get("username", "").strip()
    db = get_db()
    user = db.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
    if user is not None:
        db.execute(
            "INSERT INTO reset_tokens (token, user_id) VALUES (?, ?)",
            (new_reset_token(), user["id"]),
        )
        db.commit()
        # Mail delivery is handled by the notifications service, which polls reset_tokens.
    message = "If the account exists, a reset link has been sent to its e-mail address."
    return render_template_string(RESET_REQUEST_PAGE, message=message)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Any:
    """Let the holder of a reset token choose a new password (the token is single-use)."""
    db = get_db()
    row = db.execute("SELECT user_id FROM reset_tokens WHERE token = ?", (token,)).fetchone()
    if row is None:
        abort(404)
    if request.method == "GET":
        return render_template_string(RESET_FORM_PAGE, error=None)
    password = request.form.get("password", "")
    if len(password) < MIN_PASSWORD_LENGTH:
        error = f"Use at least {MIN_PASSWORD_LENGTH} characters."
        return render_template_string(RESET_FORM_PAGE, error=error), 400
    db.execute(
        "UPDATE users SET password_hash = ? WHERE id = ?", (hash_password(password), row["user_id"])
    )
    db.execute("DELETE FROM reset_tokens WHERE token = ?", (token,))
    db.execute("DELETE FROM sessions WHERE user_id = ?", (row["user_id"],))
    db.commit()
    return redirect(url_for("auth.login"))


@bp.post("/preferences/lang")
def set_language() -> Any:
    """Remember the display language chosen by the visitor."""
    lang = request.form.get("lang", "en")
    if lang not in LANGUAGES:
        abort(400)
    resp = redirect(url_for("accounts.index"))
    resp.set_cookie("lang", lang, max_age=365 * 24 * 3600, secure=True, httponly=True, samesite="Lax")
    return resp
