# User bios kept in a module-level dict keyed by user id, shown on the profile page.
# expect: mamori:python/xss line=20
from flask import Flask, request, session

app = Flask(__name__)

PROFILES: dict[str, str] = {}


@app.route("/profile", methods=["POST"])
def update_bio():
    PROFILES[session["user_id"]] = request.form.get("bio", "")
    return {"ok": True}


@app.route("/profile/<user_id>")
def show_profile(user_id):
    bio = PROFILES.get(user_id, "")
    page = f"<div class='bio'>{bio}</div>"
    return page
