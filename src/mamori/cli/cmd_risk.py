"""``mamori accept-risk`` and ``mamori cvss``: triage decisions that change priority."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from mamori.cli.common import ActorOption, DbOption, JsonOption, RepoOption
from mamori.cli.output import out, print_json


def register(app: typer.Typer) -> None:
    @app.command("accept-risk")
    def accept_risk(
        finding_id: str = typer.Argument(..., help="The finding id (or a unique prefix)."),
        owner: str = typer.Option(..., "--owner", help="Who owns the risk (a person or team)."),
        reason: str = typer.Option(..., "--reason", help="Why the risk is acceptable."),
        expires: str = typer.Option(
            ...,
            "--expires",
            help="When the acceptance ends and the finding reopens (ISO date or timestamp).",
        ),
        actor: str | None = ActorOption,
        repo: Path = RepoOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Accept a finding's risk until a date; it leaves the queue and returns when it expires."""
        from mamori.actions import Workspace
        from mamori.config import actor_identity
        from mamori.prioritize.queue import accept_risk as do_accept
        from mamori.prioritize.sla import parse_time

        try:
            until: datetime = parse_time(expires)
        except ValueError as e:
            raise typer.BadParameter(f"--expires: {e}") from e
        with Workspace.open(repo, db_url=db) as ws:
            acceptance = do_accept(
                ws.store,
                finding_id,
                owner=owner,
                reason=reason,
                expires=until,
                actor=actor_identity(actor),
            )
        if as_json:
            print_json(acceptance)
            return
        out.print(
            f"risk of {acceptance.finding_id} accepted by {acceptance.owner} "
            f"until {acceptance.expires}",
            markup=False,
        )

    @app.command("cvss")
    def set_cvss(
        finding_id: str = typer.Argument(..., help="The finding id (or a unique prefix)."),
        v3: str | None = typer.Option(None, "--v3", help="CVSS v3.1 vector."),
        v4: str | None = typer.Option(None, "--v4", help="CVSS v4.0 vector."),
        reason: str = typer.Option(..., "--reason", help="Why the default vector is wrong."),
        actor: str | None = ActorOption,
        repo: Path = RepoOption,
        db: str | None = DbOption,
    ) -> None:
        """Set a finding's CVSS vectors (triage); used from the next run on."""
        from mamori.actions import Workspace
        from mamori.config import actor_identity
        from mamori.domain import FindingId
        from mamori.prioritize.cvss import score_v3, score_v4

        if v3 is None and v4 is None:
            raise typer.BadParameter("give --v3 and/or --v4")
        try:
            scores = [score_v3(v3) if v3 else None, score_v4(v4) if v4 else None]
        except ValueError as e:
            raise typer.BadParameter(str(e)) from e
        who = actor_identity(actor)
        with Workspace.open(repo, db_url=db) as ws:
            finding = ws.store.get_finding(FindingId(finding_id))
            with ws.store.transaction():
                ws.store.set_cvss_override(finding.id, v3=v3, v4=v4, actor=who, reason=reason)
                ws.store.record(
                    "triage.cvss_set",
                    actor=who,
                    subject=finding.id,
                    payload={"v3": v3, "v4": v4, "reason": reason},
                )
        out.print(f"CVSS of {finding.id} set (scores v3 {scores[0]}, v4 {scores[1]})", markup=False)
