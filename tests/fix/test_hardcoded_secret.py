# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.domain import RiskClass
from mamori.fix.codemods.hardcoded_secret import HardcodedSecretFixer
from tests.fix.helpers import apply_fixer, assert_idempotent

FIXER = HardcodedSecretFixer()

HELPER = '''

def _require_env(name: str) -> str:
    """A secret from the environment; the deployment must provide it (no default in code)."""
    try:
        return os.environ[name]
    except KeyError:
        raise RuntimeError(f"set the environment variable {name}") from None
'''


def test_module_constant_reads_environment() -> None:
    src = '"""Settings."""\n\nimport hashlib\n\nAPI_KEY = "pk_live_123"  # gateway\n'
    fixed = apply_fixer(FIXER, src, cwe=798, at="API_KEY")
    assert fixed == (
        '"""Settings."""\n\nimport hashlib\nimport os\n'
        + HELPER
        + '\n\nAPI_KEY = _require_env("API_KEY")  # gateway\n'
    )
    assert_idempotent(FIXER, fixed, cwe=798, at="API_KEY")
    assert FIXER.info.risk is RiskClass.MEDIUM


def test_config_subscript_and_keyword_argument() -> None:
    src = 'import os\n\n\ndef create_app(app):\n    app.config["SECRET_KEY"] = "d3v-s3cr3t"\n    db = connect(password="hunter2")\n'
    fixed = apply_fixer(FIXER, src, cwe=798, at="SECRET_KEY")
    assert fixed is not None
    assert '    app.config["SECRET_KEY"] = _require_env("SECRET_KEY")\n' in fixed
    assert fixed.count("import os") == 1
    fixed = apply_fixer(FIXER, src, cwe=798, at="password=")
    assert fixed is not None and 'connect(password=_require_env("PASSWORD"))' in fixed


def test_helper_raises_a_clear_error() -> None:
    namespace: dict[str, object] = {}
    exec("import os\n" + HELPER, namespace)
    require = namespace["_require_env"]
    assert callable(require)
    try:
        require("MAMORI_TEST_SURELY_UNSET_VARIABLE")
    except RuntimeError as e:
        assert str(e) == "set the environment variable MAMORI_TEST_SURELY_UNSET_VARIABLE"
    else:
        raise AssertionError("no error")


def test_declines_comparisons_and_non_literals() -> None:
    src = 'if password == "admin":\n    pass\nKEY = os.environ["KEY"]\nEMPTY = ""\n'
    for at in ("if password", "KEY =", "EMPTY"):
        assert apply_fixer(FIXER, src, cwe=798, at=at) is None, at
