from __future__ import annotations

from pathlib import Path

from mamori.fix.docs import doc_filename, render_fixer_doc, write_fixer_docs
from mamori.fix.stage import builtin_fixers

DOCS = Path(__file__).resolve().parents[2] / "docs" / "fixers"


def test_render_contains_metadata() -> None:
    fixer = next(f for f in builtin_fixers() if f.info.id == "mamori:fix/yaml-safe-load")
    page = render_fixer_doc(fixer.info)
    assert page.startswith("# Load YAML with the safe loader\n")
    assert "`mamori:fix/yaml-safe-load`" in page and "CWE-502" in page and "low" in page


def test_generated_docs_are_up_to_date(tmp_path: Path) -> None:
    written = write_fixer_docs(tmp_path)
    assert {p.name for p in written} == {doc_filename(f.info) for f in builtin_fixers()}
    for page in written:
        committed = DOCS / page.name
        assert committed.exists(), f"run write_fixer_docs: {committed} missing"
        assert committed.read_text() == page.read_text(), (
            f"{committed} is stale: regenerate with "
            "python -c 'from pathlib import Path; from mamori.fix.docs import write_fixer_docs;"
            ' write_fixer_docs(Path("docs/fixers"))\''
        )
