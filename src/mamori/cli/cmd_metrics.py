"""``mamori metrics``: how the security programme is doing, with a chart (SVG or PNG)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from mamori.cli.common import DbOption, JsonOption, RepoOption
from mamori.cli.output import err, out, print_json


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def register(app: typer.Typer) -> None:
    @app.command("metrics")
    def metrics(
        chart: Path | None = typer.Option(
            None,
            "--chart",
            help="Where to write the backlog chart, as *.svg or *.png "
            "(default REPO/.mamori/metrics.svg).",
        ),
        repo: Path = RepoOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """MTTR by priority and team, SLA compliance, auto-accept and false-positive rates,
        and the backlog over time."""
        from mamori.actions import Workspace
        from mamori.prioritize.queue import active_acceptances
        from mamori.report.metrics import compute, write_chart
        from mamori.serialize import to_jsonable

        now = datetime.now(UTC)

        with Workspace.open(repo, db_url=db) as ws:
            repo_id = str(ws.root)
            runs = {r.id for r in ws.store.list_runs(repo_id)}
            m = compute(
                ws.store.findings(repo_id),
                ws.store.finding_events(repo_id),
                [p for p in ws.store.patches() if p.run_id in runs],
                accepted=set(active_acceptances(ws.store, repo_id, now)),
                now=now,
            )
            target = chart or ws.root / ".mamori" / "metrics.svg"
        write_chart(m.backlog, target)
        if as_json:
            data: dict[str, Any] = to_jsonable(m)
            data["sla_compliance"] = m.sla_compliance
            data["auto_accept_rate"] = m.auto_accept_rate
            for row, fp in zip(data["false_positives"], m.false_positives, strict=True):
                row["rate"] = fp.rate
            data["chart"] = str(target)
            print_json(data)
            return
        out.print(f"findings {m.findings}, fixed {m.fixed}", markup=False)
        out.print(
            f"SLA compliance {_pct(m.sla_compliance)} ({m.sla_met}/{m.sla_tracked}; "
            f"{m.sla_breached_open} open past due; {m.risk_accepted} risk-accepted, not counted)",
            markup=False,
        )
        out.print(
            f"auto-accept rate {_pct(m.auto_accept_rate)} ({m.auto_accepted}/{m.decisions} "
            "gate decisions)",
            markup=False,
        )
        for title, rows in (("priority", m.mttr_by_priority), ("team", m.mttr_by_team)):
            t = Table(title=f"MTTR by {title} (days, found -> fixed)")
            for col in (title, "fixed", "mean days"):
                t.add_column(col)
            for r in rows:
                t.add_row(r.group, str(r.fixed), f"{r.mean_days:.1f}")
            out.print(t)
        t = Table(title="False positives by engine and rule (triage outcomes)")
        for col in ("engine", "rule", "findings", "false positives", "rate"):
            t.add_column(col)
        for fp in m.false_positives:
            t.add_row(fp.engine, fp.rule, str(fp.findings), str(fp.false_positives), _pct(fp.rate))
        out.print(t)
        err.print(f"backlog chart ({len(m.backlog)} runs) -> {target}", markup=False)
