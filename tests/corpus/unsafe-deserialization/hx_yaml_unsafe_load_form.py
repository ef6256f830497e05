# Import settings: yaml.unsafe_load on a form field, in a helper.
# expect: mamori:python/unsafe-deserialization line=10
import yaml
from flask import Blueprint, request

settings_bp = Blueprint("settings", __name__)


def parse_settings(text: str) -> dict:
    return yaml.unsafe_load(text) or {}


@settings_bp.post("/settings/import")
def import_settings():
    settings = parse_settings(request.form["yaml"])
    return {"keys": sorted(settings)}
