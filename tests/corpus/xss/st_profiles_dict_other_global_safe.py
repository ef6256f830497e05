# Bios are stored in one module-level dict, but the page renders a different one that only
# the code fills (display names derived from a fixed table).
# expect: none
from flask import Flask, request, session

app = Flask(__name__)

PROFILES: dict[str, str] = {}
BADGES: dict[str, str] = {}


@app.route("/profile", methods=["POST"])
def update_bio():
    PROFILES[session["user_id"]] = request.form.get("bio", "")
    BADGES[session["user_id"]] = "member"
    return {"ok": True}


@app.route("/profile/<int:user_id>")
def show_badge(user_id):
    badge = BADGES.get(str(user_id), "guest")
    return f"<span class='badge'>{badge}</span>"
