import pickle

import jobs


class Exploit:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_payload_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    try:
        jobs.decode_job(pickle.dumps(Exploit(str(marker))))
    except Exception:
        pass
    assert not marker.exists()
