from __future__ import annotations

from mamori.fix.codemods.insecure_random import InsecureRandomFixer
from tests.fix.helpers import apply_fixer, assert_idempotent

FIXER = InsecureRandomFixer()

SRC = '''"""Tokens."""

import random
import string


def new_session_token() -> str:
    # 32 characters
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(32))
'''


def test_choice_becomes_secrets_choice_and_import_added_once() -> None:
    fixed = apply_fixer(FIXER, SRC, cwe=330, at="random.choice")
    assert fixed == SRC.replace("random.choice(", "secrets.choice(").replace(
        "import string\n", "import string\nimport secrets\n"
    )
    assert_idempotent(FIXER, fixed, cwe=330, at="secrets.choice")


def test_existing_secrets_import_not_duplicated() -> None:
    src = "import random\nimport secrets\ntoken = random.getrandbits(128)\n"
    fixed = apply_fixer(FIXER, src, cwe=330, at="token =")
    assert fixed == "import random\nimport secrets\ntoken = secrets.randbits(128)\n"


def test_randint_randrange_random() -> None:
    src = (
        "import random\n"
        "key_a = random.randint(1, 6)\n"
        "key_b = random.randint(low, high)\n"
        "key_c = random.randrange(10)\n"
        "key_d = random.randrange(lo, hi)\n"
        "key_e = random.random()\n"
        "key_f = random.randint(0, n - 1)\n"
    )
    expected = {
        "key_a =": "key_a = secrets.randbelow(6) + 1\n",
        "key_b =": "key_b = secrets.randbelow(high - low + 1) + low\n",
        "key_c =": "key_c = secrets.randbelow(10)\n",
        "key_d =": "key_d = secrets.randbelow(hi - lo) + lo\n",
        "key_e =": "key_e = secrets.SystemRandom().random()\n",
        "key_f =": "key_f = secrets.randbelow((n - 1) + 1)\n",
    }
    for at, line in expected.items():
        fixed = apply_fixer(FIXER, src, cwe=330, at=at)
        assert fixed is not None and line in fixed, (at, fixed)


def test_from_import_and_alias() -> None:
    src = (
        "from random import choice\nimport random as rnd\n"
        "otp_x = choice(s)\notp_y = rnd.randint(1, 9)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=330, at="otp_x =")
    assert fixed is not None and "otp_x = secrets.choice(s)\n" in fixed
    fixed = apply_fixer(FIXER, src, cwe=330, at="otp_y =")
    assert fixed is not None and "otp_y = secrets.randbelow(9) + 1\n" in fixed


def test_declines_randrange_with_step_and_non_random_code() -> None:
    src = "import random\nx = random.randrange(0, 10, 2)\ny = secrets.token_hex(8)\n"
    assert apply_fixer(FIXER, src, cwe=330, at="x =") is None
    assert apply_fixer(FIXER, src, cwe=330, at="y =") is None


def test_random_for_jitter_or_sampling_is_declined() -> None:
    """Nothing around the call says the value must be unpredictable: not a secret."""
    from mamori.fix.interface import Declined
    from tests.fix.helpers import make_finding, reader

    src = (
        "import random\n\n\ndef backoff(attempt):\n"
        "    return min(30, 2 ** attempt) + random.uniform(0, 1)\n\n\n"
        "def pick_cohort(user_ids):\n    return random.sample(user_ids, k=10)\n\n\n"
        "def new_api_key():\n    return ''.join(random.choice(ALPHABET) for _ in range(32))\n"
    )
    for line in (5, 9):
        out = FIXER.fix(make_finding(cwe=330, line=line), reader({"app/views.py": src}))
        assert isinstance(out, Declined) and "unpredictable" in out.reason, line
    fixed = apply_fixer(FIXER, src, cwe=330, at="random.choice")
    assert fixed is not None and "secrets.choice(ALPHABET)" in fixed


def test_randbytes_for_a_salt_becomes_token_bytes() -> None:
    src = "import random\n\n\ndef new_salt():\n    salt = random.randbytes(16)\n    return salt\n"
    fixed = apply_fixer(FIXER, src, cwe=330, at="random.randbytes")
    assert fixed is not None and "    salt = secrets.token_bytes(16)\n" in fixed
