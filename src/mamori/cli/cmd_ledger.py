"""``mamori ledger``: the tamper-evident record of everything that happened."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.common import DbOption, JsonOption, RepoOption
from mamori.cli.output import out, print_json
from mamori.errors import LedgerTamperedError

app = typer.Typer(help="Inspect and verify the evidence ledger.", no_args_is_help=True)


@app.command("verify")
def verify(
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Check every event's hash and link; name the first edited, removed or reordered event."""
    from mamori.actions import Workspace, check_ledger

    with Workspace.open(repo, db_url=db) as ws:
        report = check_ledger(ws)
    if as_json:
        print_json(report)
    if not report.ok:
        problem = report.problem
        raise LedgerTamperedError(
            f"ledger verification FAILED after {report.events_checked} events: "
            f"{problem.reason if problem else 'unknown problem'}"
        )
    if not as_json:
        out.print(f"ledger OK: {report.events_checked} events, every hash and link verified")


@app.command("show")
def show(
    run: str | None = typer.Option(None, "--run", help="Only the events of this run."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List ledger events."""
    from mamori.actions import Workspace

    with Workspace.open(repo, db_url=db) as ws:
        events = list(ws.store.events(run_id=run))
    if as_json:
        print_json(events)
        return
    table = Table(title=f"{len(events)} ledger events")
    for col in ("seq", "at", "kind", "actor", "subject", "hash"):
        table.add_column(col)
    for e in events:
        table.add_row(
            str(e.seq), e.at[:19], e.kind, escape(e.actor), escape(e.subject), e.hash[:16]
        )
    out.print(table)
