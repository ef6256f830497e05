"""``mamori report``: standard documents for vendors, customers and regulators."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from mamori.cli.common import DbOption, RepoOption
from mamori.cli.output import err


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        kind: str = typer.Argument(
            ..., help="csaf (security advisory), csaf-vex, openvex, osv or sbom (CycloneDX)."
        ),
        finding: list[str] = typer.Option(
            [], "--finding", "-f", help="Only these findings (repeatable; default: all)."
        ),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write to this file (default: standard output)."
        ),
        repo: Path = RepoOption,
        db: str | None = DbOption,
    ) -> None:
        """Write a CSAF 2.0, OpenVEX, OSV or CycloneDX document of the stored findings."""
        from mamori.actions import Workspace
        from mamori.report.context import DocumentKind, ReportError, from_store, render

        try:
            doc_kind = DocumentKind(kind)
        except ValueError as e:
            known = ", ".join(k.value for k in DocumentKind)
            raise typer.BadParameter(f"unknown document {kind!r} (expected {known})") from e
        with Workspace.open(repo, db_url=db) as ws:
            ctx = from_store(ws.root, ws.config, ws.store, kind=doc_kind, finding_ids=finding)
            doc = render(ctx, doc_kind)
            with ws.store.transaction():
                ws.store.record(
                    "report.written",
                    actor="mamori:report",
                    payload={
                        "kind": doc_kind.value,
                        "findings": [f.id for f in ctx.findings],
                        "output": str(output) if output else "-",
                    },
                )
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as e:
            raise ReportError(f"cannot write {output}: {e}") from e
        err.print(f"{doc_kind.value}: {len(ctx.findings)} findings -> {output}", markup=False)
