# yaml.load with the C safe loader when available.
# expect: none
import yaml
from flask import Flask, request

try:
    from yaml import CSafeLoader as Loader
except ImportError:
    from yaml import SafeLoader as Loader

app = Flask(__name__)


@app.post("/config/validate")
def validate():
    cfg = yaml.load(request.get_data(as_text=True), Loader=Loader)
    return {"valid": isinstance(cfg, dict)}
