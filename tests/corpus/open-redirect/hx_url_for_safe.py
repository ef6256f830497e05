# Redirects only to named endpoints.
# expect: none
from flask import Flask, jsonify, redirect, request, url_for

app = Flask(__name__)


@app.post("/settings")
def save_settings():
    section = request.form.get("section", "general")
    return redirect(url_for("settings_page", section=section))


@app.get("/settings/<section>")
def settings_page(section):
    return jsonify(section=section)
