# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.fix.codemods.yaml_safe_load import YamlSafeLoadFixer
from tests.fix.helpers import apply_fixer, assert_idempotent

FIXER = YamlSafeLoadFixer()


def test_loader_keyword_removed_and_comments_kept() -> None:
    src = (
        "import yaml\n"
        "\n"
        "\n"
        "def load_batch(req):\n"
        "    # the uploaded batch\n"
        "    batch = yaml.load(req.read(), Loader=yaml.Loader)  # parse it\n"
        "    return batch\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=502, at="yaml.load(")
    assert fixed == src.replace(
        "yaml.load(req.read(), Loader=yaml.Loader)", "yaml.safe_load(req.read())"
    )
    assert_idempotent(FIXER, fixed, cwe=502, at="safe_load")


def test_no_loader_full_loader_and_positional_loader() -> None:
    src = "import yaml\nA = yaml.load(s)\nB = yaml.load(s, yaml.FullLoader)\nC = yaml.unsafe_load(s)\n"
    assert apply_fixer(FIXER, src, cwe=502, at="A =") == src.replace(
        "yaml.load(s)", "yaml.safe_load(s)"
    )
    assert apply_fixer(FIXER, src, cwe=502, at="B =") == src.replace(
        "yaml.load(s, yaml.FullLoader)", "yaml.safe_load(s)"
    )
    assert apply_fixer(FIXER, src, cwe=502, at="C =") == src.replace(
        "yaml.unsafe_load(s)", "yaml.safe_load(s)"
    )


def test_aliased_module_and_from_import() -> None:
    src = "import yaml as y\nfrom yaml import load\nA = y.load(s, Loader=y.UnsafeLoader)\nB = load(s)\n"
    assert apply_fixer(FIXER, src, cwe=502, at="A =") == src.replace(
        "y.load(s, Loader=y.UnsafeLoader)", "y.safe_load(s)"
    )
    fixed = apply_fixer(FIXER, src, cwe=502, at="B =")
    assert fixed is not None
    assert "B = yaml.safe_load(s)\n" in fixed
    assert fixed.count("import yaml\n") == 1  # added once, next to the existing imports


def test_declines_safe_or_custom_loader() -> None:
    src = (
        "import yaml\nA = yaml.load(s, Loader=yaml.SafeLoader)\nB = yaml.load(s, Loader=MyLoader)\n"
    )
    assert apply_fixer(FIXER, src, cwe=502, at="A =") is None
    assert apply_fixer(FIXER, src, cwe=502, at="B =") is None


def test_declines_other_code_at_the_line() -> None:
    assert apply_fixer(FIXER, "import pickle\nx = pickle.loads(b)\n", cwe=502, at="x =") is None


def test_multiline_call_keeps_layout() -> None:
    src = "import yaml\nbatch = yaml.load(\n    data,\n    Loader=yaml.Loader,\n)\n"
    fixed = apply_fixer(FIXER, src, cwe=502, at="batch =")
    assert fixed == "import yaml\nbatch = yaml.safe_load(\n    data,\n)\n"


def test_bandit_b506_applies_and_constant_documents_are_declined() -> None:
    from mamori.fix.interface import Declined
    from tests.fix.helpers import make_finding, reader

    src = (
        "import yaml\n\nDEFAULTS = 'a: 1'\n\n\ndef load(text):\n"
        "    return yaml.load(text, Loader=yaml.Loader)\n\n\n"
        "def defaults():\n    return yaml.load(DEFAULTS, Loader=yaml.Loader)\n"
    )
    finding = make_finding(cwe=20, line=7, rule_id="bandit:B506")
    assert FIXER.applies_to(finding)
    out = FIXER.fix(finding, reader({"app/views.py": src}))
    assert out is not None and not isinstance(out, Declined)
    assert "    return yaml.safe_load(text)\n" in out.changes["app/views.py"]
    out = FIXER.fix(make_finding(cwe=502, line=11), reader({"app/views.py": src}))
    assert isinstance(out, Declined) and "constant" in out.reason
