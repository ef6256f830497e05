"""``mamori scan``: scan only; changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from mamori import __version__
from mamori.cli.common import JsonOption
from mamori.cli.output import err, out, print_json, sev_style, status
from mamori.domain import FindingStatus
from mamori.errors import ExitCode
from mamori.scanning import ScanOnlyResult, scan_only


def register(app: typer.Typer) -> None:
    @app.command("scan")
    def scan(
        path: Path = typer.Argument(Path("."), help="Directory or repository to scan."),
        fmt: str = typer.Option(
            "table", "--format", "-f", help="Output format: table, json or sarif."
        ),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write the report to FILE instead of stdout."
        ),
        imports: list[Path] = typer.Option(
            [],
            "--import",
            help="Import the results of another tool from a SARIF file (repeatable).",
        ),
        engines: list[str] = typer.Option(
            [],
            "--engine",
            "-e",
            help="Run only these engines (repeatable; default: all installed).",
        ),
        advisories: Path | None = typer.Option(
            None, "--advisories", help="OSV advisory directory (default: the bundled subset)."
        ),
        as_json: bool = JsonOption,
    ) -> None:
        """Scan PATH with every engine and report findings; nothing is written to the repository.

        Exit codes: 0 nothing found, 1 findings, 12 some files were not analysed (the result
        is incomplete, never "clean"); see the README for the others.
        """
        if as_json:
            fmt = "json"
        if fmt not in ("table", "json", "sarif"):
            raise typer.BadParameter(f"unknown format {fmt!r}: use table, json or sarif")
        with status("scanning") as s:
            result = scan_only(
                path,
                engines=tuple(engines) or None,
                sarif_imports=tuple(imports),
                advisory_db=advisories,
                progress=lambda m: s.update(escape(m)),
            )
        _emit(result, fmt, output)
        if result.report.not_analysed:
            raise typer.Exit(int(ExitCode.INCOMPLETE))
        if any(f.status is FindingStatus.OPEN for f in result.findings):
            raise typer.Exit(int(ExitCode.FINDINGS))


def _emit(result: ScanOnlyResult, fmt: str, output: Path | None) -> None:
    if fmt == "sarif":
        from mamori.report.sarif import sarif_log

        log = sarif_log(
            result.findings,
            not_analysed=result.report.not_analysed,
            engines=result.report.engines,
            tool_version=__version__,
        )
        _write(json.dumps(log, indent=2), output)
    elif fmt == "json":
        data: dict[str, Any] = {
            "root": str(result.root),
            "engines": list(result.report.engines),
            "files_scanned": result.report.files_scanned,
            "findings": result.findings,
            "not_analysed": result.report.not_analysed,
            "notes": result.notes,
        }
        if output is None:
            print_json(data)
        else:
            from mamori.serialize import to_jsonable

            _write(json.dumps(to_jsonable(data), indent=2), output)
    elif output is not None:
        with output.open("w", encoding="utf-8") as fh:
            from rich.console import Console

            _table(result, Console(file=fh, width=200, highlight=False))
        err.print(f"report written to {output}")
    else:
        _table(result, out)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        err.print(f"report written to {output}")


def _table(result: ScanOnlyResult, console: Any) -> None:
    shown = [f for f in result.findings if f.status is FindingStatus.OPEN]
    hidden = [f for f in result.findings if f.status is not FindingStatus.OPEN]
    table = Table(title=f"Findings in {result.root}", show_lines=False)
    for col in ("severity", "CWE", "rule", "location", "message", "engines"):
        table.add_column(col)
    for f in shown:
        table.add_row(
            f"[{sev_style(f.severity)}]{f.severity}[/]",
            f"CWE-{f.cwe}",
            escape(f.rule_id),
            escape(f"{f.location.path}:{f.location.start_line}"),
            escape(f.message[:90]),
            ",".join(f.engines),
        )
    console.print(table)
    console.print(
        f"{len(shown)} findings from {', '.join(result.report.engines)} in "
        f"{result.report.files_scanned} files"
    )
    for f in hidden:
        reason = f.suppression.reason if f.suppression else ""
        console.print(
            f"  [dim]{f.status}: {escape(f.rule_id)} at {escape(str(f.location))}: "
            f"{escape(reason)}[/]"
        )
    for note in result.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")
    if result.report.not_analysed:
        console.print(
            f"[bold yellow]NOT ANALYSED ({len(result.report.not_analysed)}): "
            "the result is incomplete[/]"
        )
        for n in result.report.not_analysed:
            who = n.engine or "all engines"
            console.print(f"  {escape(n.path or '(every file)')} [{who}]: {escape(n.reason)}")
