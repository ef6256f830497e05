"""``mamori review`` (four eyes) and ``mamori rollback``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.common import ActorOption, DbOption, JsonOption, RepoOption
from mamori.cli.output import out, print_json, status, tests_text
from mamori.config import actor_identity

app = typer.Typer(help="Review patches that the gate did not auto-accept.", no_args_is_help=True)


@app.command("list")
def list_(
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Patches waiting for review, with the gate's reasons."""
    from mamori.actions import Workspace

    with Workspace.open(repo, db_url=db) as ws:
        queue = ws.review_queue()
    if as_json:
        print_json([r for r, _ in queue])
        return
    table = Table(title=f"{len(queue)} patches waiting for review")
    for col in ("patch", "finding", "CWE", "location", "fixer", "risk", "requested by", "why"):
        table.add_column(col)
    for r, f in queue:
        why = "; ".join(r.decision.reasons) if r.decision else ""
        table.add_row(
            r.patch.id,
            f.id,
            f"CWE-{f.cwe}",
            escape(str(f.location)),
            escape(r.patch.fixer_id),
            r.patch.risk,
            escape(r.patch.requested_by),
            escape(why),
        )
    out.print(table)
    if queue:
        out.print("Inspect one with: mamori show PATCH_ID")


@app.command("approve")
def approve(
    patch_id: str = typer.Argument(..., help="The patch to approve (P-...; a unique prefix)."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    actor: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Approve a patch and commit it on its run's branch (not by the person who requested it)."""
    from mamori.actions import Workspace
    from mamori.actions import approve as do_approve

    with Workspace.open(repo, db_url=db) as ws, status("approving and delivering"):
        result = do_approve(ws, patch_id, reviewer=actor_identity(actor))
    if as_json:
        print_json(result)
        return
    if result.commit:
        out.print(
            f"approved {result.record.patch.id}: committed {result.commit[:12]} on {result.branch}"
        )
        out.print(f"tests on {result.branch}: {tests_text(result.branch_tests)}")
    else:
        out.print(
            f"approved {result.record.patch.id}, but delivery failed: "
            f"{escape(result.delivery_error or '')}"
        )
        raise typer.Exit(13)


@app.command("reject")
def reject(
    patch_id: str = typer.Argument(..., help="The patch to reject (P-...)."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded in the ledger)."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    actor: str | None = ActorOption,
) -> None:
    """Reject a patch; its finding goes back to open and the same patch is not proposed again."""
    from mamori.actions import Workspace
    from mamori.actions import reject as do_reject

    with Workspace.open(repo, db_url=db) as ws:
        record = do_reject(ws, patch_id, reviewer=actor_identity(actor), reason=reason)
    out.print(f"rejected {record.patch.id}: {escape(reason)}")


def register_rollback(root: typer.Typer) -> None:
    @root.command("rollback")
    def rollback(
        patch_id: str = typer.Argument(..., help="A delivered patch (P-...)."),
        repo: Path = RepoOption,
        db: str | None = DbOption,
        actor: str | None = ActorOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Revert one delivered patch on its branch, then re-run the tests there."""
        from mamori.actions import Workspace
        from mamori.actions import rollback as do_rollback

        with Workspace.open(repo, db_url=db) as ws, status("reverting and re-running the tests"):
            result = do_rollback(ws, patch_id, actor=actor_identity(actor))
        if as_json:
            print_json(result)
            return
        out.print(
            f"rolled back {result.record.patch.id}: revert commit {result.revert_commit[:12]} "
            f"on {result.branch}"
        )
        out.print(f"tests on {result.branch}: {tests_text(result.tests)}")
