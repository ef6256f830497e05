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
    src = "import random\nimport secrets\nt = random.getrandbits(128)\n"
    fixed = apply_fixer(FIXER, src, cwe=330, at="t =")
    assert fixed == "import random\nimport secrets\nt = secrets.randbits(128)\n"


def test_randint_randrange_random() -> None:
    src = (
        "import random\n"
        "a = random.randint(1, 6)\n"
        "b = random.randint(low, high)\n"
        "c = random.randrange(10)\n"
        "d = random.randrange(lo, hi)\n"
        "e = random.random()\n"
        "f = random.randint(0, n - 1)\n"
    )
    expected = {
        "a =": "a = secrets.randbelow(6) + 1\n",
        "b =": "b = secrets.randbelow(high - low + 1) + low\n",
        "c =": "c = secrets.randbelow(10)\n",
        "d =": "d = secrets.randbelow(hi - lo) + lo\n",
        "e =": "e = secrets.SystemRandom().random()\n",
        "f =": "f = secrets.randbelow((n - 1) + 1)\n",
    }
    for at, line in expected.items():
        fixed = apply_fixer(FIXER, src, cwe=330, at=at)
        assert fixed is not None and line in fixed, (at, fixed)


def test_from_import_and_alias() -> None:
    src = "from random import choice\nimport random as rnd\nx = choice(s)\ny = rnd.randint(1, 9)\n"
    fixed = apply_fixer(FIXER, src, cwe=330, at="x =")
    assert fixed is not None and "x = secrets.choice(s)\n" in fixed
    fixed = apply_fixer(FIXER, src, cwe=330, at="y =")
    assert fixed is not None and "y = secrets.randbelow(9) + 1\n" in fixed


def test_declines_randrange_with_step_and_non_random_code() -> None:
    src = "import random\nx = random.randrange(0, 10, 2)\ny = secrets.token_hex(8)\n"
    assert apply_fixer(FIXER, src, cwe=330, at="x =") is None
    assert apply_fixer(FIXER, src, cwe=330, at="y =") is None
