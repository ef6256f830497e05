"""``mamori ai``: governed model access (usage and spend)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from mamori.cli.common import DbOption, JsonOption, RepoOption
from mamori.cli.output import out, print_json

app = typer.Typer(
    help="Governed model access: what was sent to which model, at what cost.", no_args_is_help=True
)


@app.command("usage")
def usage(
    since: str | None = typer.Option(
        None, "--since", help="Only days from this one on (YYYY-MM-DD, UTC)."
    ),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Spend by team, model and day: calls, input and output tokens, cost."""
    from mamori.actions import Workspace
    from mamori.ai.usage import call_log

    with Workspace.open(repo, db_url=db) as ws:
        rows = call_log(ws.store).usage(since=since)
    if as_json:
        print_json([r.__dict__ for r in rows])
        return
    if not rows:
        out.print("no model calls recorded")
        return
    table = Table("day", "team", "model", "calls", "input tokens", "output tokens", "cost")
    for r in rows:
        table.add_row(
            r.day,
            r.team,
            r.model,
            str(r.calls),
            str(r.input_tokens),
            str(r.output_tokens),
            f"{r.cost:.4f}",
        )
    out.print(table)
    total = sum(r.cost for r in rows)
    tokens = sum(r.input_tokens + r.output_tokens for r in rows)
    out.print(f"total: {sum(r.calls for r in rows)} calls, {tokens} tokens, cost {total:.4f}")
