# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

import hashlib
import sqlite3

from mamori.domain import RiskClass
from mamori.fix.codemods.weak_password_hash import HashNotForSecurityFixer, WeakPasswordHashFixer
from mamori.fix.stage import ListingReader
from tests.fix.helpers import apply_fixer, assert_idempotent, line_of, make_finding, reader

FIXER = WeakPasswordHashFixer()
CHECKSUM = HashNotForSecurityFixer()

SECURITY = '''"""Credentials."""

from __future__ import annotations

import hashlib
import hmac


def hash_password(password: str) -> str:
    """Return the stored form of ``password``."""
    return hashlib.md5(password.encode()).hexdigest()


def check_password(password: str, stored: str) -> bool:
    return hmac.compare_digest(hash_password(password), stored)


def file_checksum(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()
'''


def _load(code: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(code, "<fixed>", "exec"), namespace)
    return namespace


def test_password_hash_becomes_salted_pbkdf2_with_verify() -> None:
    fixed = apply_fixer(FIXER, SECURITY, cwe=916, at="hashlib.md5(password")
    assert fixed is not None
    assert "    return _pbkdf2_sha256(password.encode())\n" in fixed
    assert "def verify_password(password: str, stored: str) -> bool:" in fixed
    assert "    return verify_password(password, stored)\n" in fixed
    assert "return hashlib.md5(data).hexdigest()" in fixed  # the checksum is not touched
    assert fixed.count("import secrets") == 1
    ns = _load(fixed)
    hash_password, check_password = ns["hash_password"], ns["check_password"]
    assert callable(hash_password) and callable(check_password)
    stored = hash_password("correct horse")
    assert isinstance(stored, str)
    algorithm, iterations, salt, digest = stored.split("$")
    assert (algorithm, iterations, len(salt), len(digest)) == ("pbkdf2_sha256", "600000", 32, 64)
    assert hash_password("correct horse") != stored  # salted
    assert check_password("correct horse", stored) is True
    assert check_password("wrong", stored) is False
    assert check_password("correct horse", "5f4dcc3b5aa765d61d8327deb882cf99") is False
    assert_idempotent(FIXER, fixed, cwe=916, at="_pbkdf2_sha256(password")


def test_comparisons_in_importing_modules_are_rewritten() -> None:
    files = {
        "app/security.py": (
            "import hashlib\n\n\ndef hash_password(pw):\n"
            "    return hashlib.sha1(pw.encode()).hexdigest()\n"
        ),
        "app/auth.py": (
            "from .security import hash_password\n\n\ndef login(user, pw):\n"
            '    if hash_password(pw) != user["hash"]:\n        return False\n    return True\n'
        ),
        "app/other.py": "import os\n",
    }
    finding = make_finding(
        cwe=916, line=line_of(files["app/security.py"], "sha1"), path="app/security.py"
    )
    proposal = FIXER.fix(finding, ListingReader(reader(files), tuple(files)))
    assert proposal is not None
    assert set(proposal.changes) == {"app/security.py", "app/auth.py"}
    auth = proposal.changes["app/auth.py"]
    assert "from .security import verify_password\n" in auth
    assert '    if not verify_password(pw, user["hash"]):\n' in auth
    assert proposal.risk is None and FIXER.info.risk is RiskClass.HIGH
    assert "Migration" in proposal.description


def test_seed_and_login_round_trip_through_sqlite() -> None:
    fixed = apply_fixer(FIXER, SECURITY, cwe=916, at="hashlib.md5(password")
    assert fixed is not None
    ns = _load(fixed)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE users (name TEXT, password_hash TEXT)")
    db.execute("INSERT INTO users VALUES (?, ?)", ("alice", ns["hash_password"]("s3cret-pass")))  # type: ignore[operator]
    (stored,) = db.execute("SELECT password_hash FROM users").fetchone()
    assert ns["check_password"]("s3cret-pass", stored) is True  # type: ignore[operator]


def test_checksum_gets_usedforsecurity_false() -> None:
    finding = make_finding(
        cwe=328, line=line_of(SECURITY, "md5(data)"), snippet="hashlib.md5(data)"
    )
    assert CHECKSUM.applies_to(finding) and not FIXER.applies_to(finding)
    proposal = CHECKSUM.fix(finding, reader({"app/views.py": SECURITY}))
    assert proposal is not None
    assert proposal.changes["app/views.py"] == SECURITY.replace(
        "hashlib.md5(data)", "hashlib.md5(data, usedforsecurity=False)"
    )
    assert_idempotent(CHECKSUM, proposal.changes["app/views.py"], cwe=328, at="md5(data")


def test_checksum_fixer_declines_passwords_and_password_fixer_routes_by_snippet() -> None:
    pw = make_finding(
        cwe=328, line=line_of(SECURITY, "md5(password"), snippet="hashlib.md5(password.encode())"
    )
    assert FIXER.applies_to(pw) and not CHECKSUM.applies_to(pw)
    # Without a snippet the checksum fixer is picked, and declines on seeing the password.
    assert apply_fixer(CHECKSUM, SECURITY, cwe=328, at="md5(password") is None


def test_declines_when_the_hash_is_not_returned_as_hexdigest() -> None:
    src = "import hashlib\n\n\ndef hash_password(p):\n    h = hashlib.md5(p.encode())\n    return h.hexdigest()\n"
    assert apply_fixer(FIXER, src, cwe=916, at="hashlib.md5") is None


SALTED = """\
import hashlib
import os


def make_password(raw):
    salt = os.urandom(8).hex()
    digest = hashlib.sha256((salt + raw).encode()).hexdigest()
    return f"{salt}${digest}"


def verify_password(raw, encoded):
    salt, digest = encoded.split("$", 1)
    return hashlib.sha256((salt + raw).encode()).hexdigest() == digest
"""


def test_hash_stored_and_recomputed_gets_one_slow_kdf_everywhere() -> None:
    """Not a `return hash(...)` function: every password hash of the module becomes the same
    deterministic PBKDF2, so that storing and re-computing to compare still agree."""
    fixed = apply_fixer(FIXER, SALTED, cwe=916, at="digest = hashlib")
    assert fixed is not None
    assert "hashlib.sha256(" not in fixed
    assert fixed.count("_pbkdf2_sha256_hex((salt + raw).encode())") == 2
    ns = _load(fixed)
    make, verify = ns["make_password"], ns["verify_password"]
    assert callable(make) and callable(verify)
    encoded = make("s3cret")
    assert verify("s3cret", encoded) and not verify("wrong", encoded)
    salt, digest = encoded.split("$")
    assert hashlib.sha256((salt + "s3cret").encode()).hexdigest() != digest
    assert_idempotent(FIXER, fixed, cwe=916, at="digest = _pbkdf2")
