import base64
import pickle

DEFAULTS = {"theme": "light", "lang": "en", "page_size": 20}


def dump_prefs(prefs):
    return base64.b64encode(pickle.dumps(prefs)).decode("ascii")


def load_prefs(cookie_value):
    if not cookie_value:
        return dict(DEFAULTS)
    prefs = pickle.loads(base64.b64decode(cookie_value))
    return {**DEFAULTS, **prefs}
