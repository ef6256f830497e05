"""``mamori disclosure``: coordinated-disclosure cases for third-party vulnerabilities."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.common import ActorOption, DbOption, JsonOption, RepoOption
from mamori.cli.output import out, print_json

app = typer.Typer(
    help="Coordinated disclosure: reported -> acknowledged -> fix_available -> published.",
    no_args_is_help=True,
)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise typer.BadParameter(f"{option}: {e}") from e


@app.command("open")
def open_(
    title: str = typer.Option(..., "--title", help="What the vulnerability is."),
    vendor: str = typer.Option(..., "--vendor", help="Who maintains the affected code."),
    contact: str = typer.Option(..., "--contact", help="Where it was reported (e-mail, URL)."),
    embargo: str | None = typer.Option(None, "--embargo", help="No publication before (date)."),
    finding: str | None = typer.Option(None, "--finding", help="The Mamori finding, if any."),
    actor: str | None = ActorOption,
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Record that a vulnerability was reported to its vendor."""
    from mamori.actions import Workspace
    from mamori.config import actor_identity
    from mamori.report.disclosure import open_case

    with Workspace.open(repo, db_url=db) as ws:
        case = open_case(
            ws.store,
            repo=str(ws.root),
            title=title,
            vendor=vendor,
            contact=contact,
            embargo=_date(embargo, "--embargo"),
            finding_id=finding,
            actor=actor_identity(actor),
        )
    if as_json:
        print_json(case)
        return
    out.print(f"{case.id}: reported to {case.vendor} ({case.contact})", markup=False)


@app.command("advance")
def advance(
    case_id: str = typer.Argument(..., help="The case id (D-..., or a unique prefix)."),
    state: str = typer.Argument(..., help="acknowledged, fix_available or published."),
    note: str = typer.Option("", "--note", help="What happened (advisory URL, fix version)."),
    actor: str | None = ActorOption,
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Move a case to its next step (publishing under embargo is refused)."""
    from mamori.actions import Workspace
    from mamori.config import actor_identity
    from mamori.domain import DisclosureState
    from mamori.report.disclosure import advance as do_advance

    try:
        target = DisclosureState(state)
    except ValueError as e:
        known = ", ".join(s.value for s in DisclosureState)
        raise typer.BadParameter(f"unknown step {state!r} (expected {known})") from e
    with Workspace.open(repo, db_url=db) as ws:
        case = do_advance(ws.store, case_id, target, actor=actor_identity(actor), note=note)
    if as_json:
        print_json(case)
        return
    out.print(f"{case.id}: {case.state}", markup=False)


@app.command("list")
def list_(
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List the cases, with overdue steps first."""
    from mamori.actions import Workspace
    from mamori.report.disclosure import overdue

    now = datetime.now(UTC)
    with Workspace.open(repo, db_url=db) as ws:
        cases = ws.store.disclosures(str(ws.root))
    rows = [(c, overdue(c, now)) for c in cases]
    rows.sort(key=lambda r: (r[1] is None, -(r[1].days_late if r[1] else 0), r[0].created_at))
    if as_json:
        print_json([{"case": c, "overdue": o} for c, o in rows])
        return
    table = Table(title=f"{len(rows)} disclosure cases")
    for col in ("id", "state", "vendor", "contact", "embargo", "overdue", "finding", "title"):
        table.add_column(col)
    for c, o in rows:
        late = f"[red]{o.step} due {o.due} ({o.days_late} d late)[/]" if o else "-"
        table.add_row(
            c.id,
            c.state.value,
            escape(c.vendor),
            escape(c.contact),
            c.embargo or "-",
            late,
            c.finding_id or "-",
            escape(c.title),
        )
    out.print(table)
