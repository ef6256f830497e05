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


def test_constant_used_only_in_functions_is_read_where_used() -> None:
    """Importing the module must not need the secret (its tests, other code paths)."""
    from mamori.fix.stage import ListingReader
    from tests.fix.helpers import line_of, make_finding, reader

    src = (
        'API_KEY = "sk_live_abc123"\n\n\ndef headers():\n'
        '    return {"Authorization": f"Bearer {API_KEY}"}\n\n\n'
        "def fmt(n):\n    return str(n)\n"
    )
    finding = make_finding(cwe=798, line=line_of(src, "API_KEY ="), path="pay.py")
    proposal = FIXER.fix(finding, ListingReader(reader({"pay.py": src}), ("pay.py",)))
    assert proposal is not None and not hasattr(proposal, "reason")
    fixed = proposal.changes["pay.py"]  # type: ignore[union-attr]
    assert "sk_live_abc123" not in fixed
    assert "f\"Bearer {_require_env('API_KEY')}\"" in fixed
    namespace: dict[str, object] = {}
    exec(compile(fixed, "pay.py", "exec"), namespace)  # imports without the variable
    assert namespace["fmt"](3) == "3"  # type: ignore[operator]
    headers = namespace["headers"]
    assert callable(headers)
    try:
        headers()
    except RuntimeError as e:
        assert "API_KEY" in str(e)
    else:
        raise AssertionError("a missing secret must fail clearly")


def test_constant_imported_elsewhere_keeps_the_module_level_read() -> None:
    from mamori.fix.stage import ListingReader
    from tests.fix.helpers import make_finding, reader

    src = 'API_KEY = "sk_live_abc123"\n\n\ndef headers():\n    return {"k": API_KEY}\n'
    files = {"pay.py": src, "other.py": "from pay import API_KEY\n"}
    finding = make_finding(cwe=798, line=1, path="pay.py")
    proposal = FIXER.fix(finding, ListingReader(reader(files), tuple(files)))
    fixed = proposal.changes["pay.py"]  # type: ignore[union-attr]
    assert 'API_KEY = _require_env("API_KEY")' in fixed


def test_declines_documents_and_markup() -> None:
    from mamori.fix.interface import Declined
    from tests.fix.helpers import make_finding, reader

    src = (
        'USERS = b"""<users><user name="a" password="pw"/></users>"""\n'
        'GREETING_PASSWORD = "please enter your password"\n'
    )
    for line in (1, 2):
        out = FIXER.fix(make_finding(cwe=798, line=line), reader({"app/views.py": src}))
        assert isinstance(out, Declined) and "credential" in out.reason


def test_label_names_are_declined_but_urls_with_passwords_are_fixed() -> None:
    from mamori.fix.interface import Declined
    from tests.fix.helpers import make_finding, reader

    src = (
        'TOKEN_HEADER = "X-Auth-Token"\n'
        'DATABASE_URI = "postgresql://app:Wint3r-Is-C0ming@db.internal:5432/app"\n'
        'conn = Connection(server, user="cn=svc", password="Svc@ppLd4p!")\n'
    )
    out = FIXER.fix(make_finding(cwe=798, line=1), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "not the secret itself" in out.reason
    fixed = apply_fixer(FIXER, src, cwe=798, at="DATABASE_URI")
    assert fixed is not None and 'DATABASE_URI = _require_env("DATABASE_URI")' in fixed
    fixed = apply_fixer(FIXER, src, cwe=798, at="conn =")
    assert fixed is not None
    assert 'user="cn=svc", password=_require_env("PASSWORD")' in fixed


def test_positional_credentials_are_read_from_a_variable_named_for_their_use() -> None:
    src = 'import jwt\n\n\ndef issue(payload):\n    return jwt.encode(payload, "my-super-secret-jwt-key-2024", algorithm="HS256")\n'
    fixed = apply_fixer(FIXER, src, cwe=798, at="jwt.encode")
    assert fixed is not None
    assert (
        'return jwt.encode(payload, _require_env("JWT_SECRET_KEY"), algorithm="HS256")\n' in fixed
    )
    assert "import os\n" in fixed and "def _require_env" in fixed
    assert_idempotent(FIXER, fixed, cwe=798, at="jwt.encode")

    src = 'import hmac\n\nSIG = hmac.new(b"k3y-2024-signing", msg, "sha256")\n'
    fixed = apply_fixer(FIXER, src, cwe=798, at="hmac.new")
    assert fixed is not None and 'hmac.new(_require_env("HMAC_KEY"), msg, "sha256")' in fixed

    src = 'from requests.auth import HTTPBasicAuth\n\nAUTH = HTTPBasicAuth("svc-report", "Rep0rt!2024")\n'
    fixed = apply_fixer(FIXER, src, cwe=798, at="HTTPBasicAuth(")
    assert (
        fixed is not None
        and 'HTTPBasicAuth("svc-report", _require_env("SVC_REPORT_PASSWORD"))' in fixed
    )


def test_auth_tuple_password_on_a_continuation_line() -> None:
    src = (
        "import requests\n\n\ndef fetch_metrics() -> dict:\n"
        '    resp = requests.get("https://metrics.internal/api/v1/summary",\n'
        '                        auth=("metrics-reader", "Mx7!reader-2024"), timeout=5)\n'
        "    return resp.json()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=798, at='auth=("metrics')
    assert fixed is not None
    assert 'auth=("metrics-reader", _require_env("METRICS_READER_PASSWORD")), timeout=5)' in fixed
    assert_idempotent(FIXER, fixed, cwe=798, at='auth=("metrics')
    # The user is not a literal: a generic name.
    src = 'import requests\n\nr = requests.get(URL, auth=(user, "Mx7!reader-2024"))\n'
    fixed = apply_fixer(FIXER, src, cwe=798, at="auth=")
    assert fixed is not None and 'auth=(user, _require_env("HTTP_AUTH_PASSWORD"))' in fixed


def test_positional_arguments_that_are_no_credential_are_left_alone() -> None:
    # login(user) with one argument, a variable key, text with spaces: nothing to read.
    for src, at in (
        ('client.login("alice")\n', "login"),
        ("jwt.encode(payload, key)\n", "jwt.encode"),
        ('jwt.encode(payload, "not a key but a sentence")\n', "jwt.encode"),
    ):
        fixed = apply_fixer(FIXER, src, cwe=798, at=at)
        assert fixed is None or "_require_env" not in fixed, src
