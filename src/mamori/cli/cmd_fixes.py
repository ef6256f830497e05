"""``mamori fixes``: fix records (docs/fix-records.md) of the stored patches."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from mamori.cli.common import DbOption, RepoOption
from mamori.cli.output import err

app = typer.Typer(
    help="Fix records: what each patch changed, its fixer, risk and verification (JSON).",
    no_args_is_help=True,
)


def _write(doc: dict[str, object], output: Path | None) -> None:
    from mamori.errors import Error

    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise Error(f"cannot write {output}: {e}") from e


@app.command("show")
def show(
    patch_id: list[str] = typer.Argument(..., help="Patch ids (P-..., unique prefixes)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
) -> None:
    """Print the fix record of one or more patches."""
    from mamori import __version__
    from mamori.actions import Workspace
    from mamori.fix.record import fix_record_document, records_from_store

    with Workspace.open(repo, db_url=db) as ws:
        records = records_from_store(ws.store, patch_ids=patch_id)
    _write(fix_record_document(records, tool_version=__version__), output)


@app.command("export")
def export(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (default: standard output)."
    ),
    run: str | None = typer.Option(None, "--run", help="Only the patches of this run."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
) -> None:
    """Write the fix records of every stored patch (or of one run)."""
    from mamori import __version__
    from mamori.actions import Workspace
    from mamori.fix.record import fix_record_document, records_from_store

    with Workspace.open(repo, db_url=db) as ws:
        records = records_from_store(ws.store, run_id=run)
    _write(fix_record_document(records, tool_version=__version__), output)
    if output is not None:
        err.print(f"fix records: {len(records)} patches -> {output}", markup=False)
