"""docs/rules is generated from the rule table and the models, and kept up to date."""

from __future__ import annotations

from pathlib import Path

from mamori.scan.taint import RULES, Models
from mamori.scan.taint.docs import render_index, render_rule

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules"


def test_every_rule_has_an_up_to_date_page(taint_models: Models) -> None:
    for rule in RULES.values():
        page = DOCS / f"{rule.name}.md"
        assert page.is_file(), f"missing {page}; run python -m mamori.scan.taint.docs"
        assert page.read_text(encoding="utf-8") == render_rule(rule, taint_models), (
            f"{page} is stale; run python -m mamori.scan.taint.docs"
        )
    assert (DOCS / "README.md").read_text(encoding="utf-8") == render_index()
    assert {p.stem for p in DOCS.glob("*.md")} == {*RULES, "README"}


def test_page_lists_the_modelled_sinks_and_sanitisers(taint_models: Models) -> None:
    page = render_rule(RULES["command-injection"], taint_models)
    assert "CWE-78" in page
    assert "`os.system`" in page
    assert "`shlex.quote`" in page
    assert "`html.escape`" not in page  # a sanitiser for another rule
