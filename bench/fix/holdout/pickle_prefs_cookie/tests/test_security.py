import base64
import pickle

import prefs


class Exploit:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_cookie_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    cookie = base64.b64encode(pickle.dumps(Exploit(str(marker)))).decode()
    try:
        prefs.load_prefs(cookie)
    except Exception:
        pass
    assert not marker.exists()
