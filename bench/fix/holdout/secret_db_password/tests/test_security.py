from pathlib import Path

import db


def test_no_password_in_source():
    assert "Pr0d-Passw0rd!2024" not in Path(db.__file__).read_text()
