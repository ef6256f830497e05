from pathlib import Path

import payments


def test_no_live_key_in_source():
    assert "sk_live_51HxQ2vLkP9aT7mZ3rW8yB4nC6dE0fG" not in Path(payments.__file__).read_text()
