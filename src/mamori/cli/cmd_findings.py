"""``mamori findings``, ``mamori show`` and ``mamori runs``: read the store."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.common import DbOption, JsonOption, RepoOption
from mamori.cli.output import out, print_json, sev_style, status_style, tests_text
from mamori.domain import FindingId, FindingStatus
from mamori.store.interface import PatchRecord

DEFAULT_STATUSES = (FindingStatus.OPEN, FindingStatus.IN_REVIEW, FindingStatus.FIX_DELIVERED)


def register(app: typer.Typer) -> None:
    @app.command("findings")
    def findings(
        status_: list[str] = typer.Option(
            [],
            "--status",
            "-s",
            help="Only these statuses (repeatable): open, in_review, fix_delivered, fixed, "
            "suppressed, false_positive, or all. Default: open, in_review, fix_delivered.",
        ),
        repo: Path = RepoOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """List findings, most urgent first: SSVC priority, then SLA due date, then risk."""
        from mamori.actions import Workspace
        from mamori.prioritize.queue import queue

        if "all" in status_:
            statuses = None
        elif status_:
            try:
                statuses = [FindingStatus(s) for s in status_]
            except ValueError as e:
                known = ", ".join(s.value for s in FindingStatus)
                raise typer.BadParameter(f"{e}; known statuses: {known}, all") from e
        else:
            statuses = list(DEFAULT_STATUSES)
        with Workspace.open(repo, db_url=db) as ws:
            # Accepted risks leave the default queue; `--status all` shows them too.
            queued = queue(
                ws.store, str(ws.root), statuses=statuses, include_accepted=statuses is None
            )
        items = [q.finding for q in queued]
        if as_json:
            # Each finding with its queue state: the due date and breach flag, and why.
            print_json([q.to_jsonable() for q in queued])
            return
        table = Table(title=f"{len(items)} findings")
        for col in (
            "id",
            "priority",
            "due",
            "risk",
            "severity",
            "CWE",
            "status",
            "location",
            "rule",
            "engines",
            "why",
        ):
            table.add_column(col)
        for q in queued:
            f = q.finding
            table.add_row(
                f.id,
                f.priority.ssvc.value if f.priority else "-",
                q.sla.describe(),
                f"{f.risk_score:.1f}",
                f"[{sev_style(f.severity)}]{f.severity}[/]",
                f"CWE-{f.cwe}",
                f"[{status_style(f.status)}]{f.status}[/]"
                + (f" (risk accepted until {q.acceptance.expires[:10]})" if q.acceptance else ""),
                escape(f"{f.location.path}:{f.location.start_line}"),
                escape(f.rule_id),
                ",".join(f.engines),
                escape(q.why()),
            )
        out.print(table)

    @app.command("show")
    def show(
        item_id: str = typer.Argument(..., help="A finding id (F-...) or patch id (P-...)."),
        repo: Path = RepoOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Show one finding (with its flow, sources and patches) or one patch (with its diff)."""
        from mamori.actions import Workspace

        with Workspace.open(repo, db_url=db) as ws:
            if item_id.upper().startswith("P-"):
                record = ws.store.get_patch(item_id)  # type: ignore[arg-type]
                if as_json:
                    print_json(record)
                else:
                    _print_patch(record, with_diff=True)
                return
            finding = ws.store.get_finding(FindingId(item_id))
            patches = ws.store.patches(finding_id=finding.id)
            from mamori.verify.poc import exploit_status

            exploit = exploit_status(ws.store.events(), ws.root / ".mamori", finding.id)
        if as_json:
            print_json({"finding": finding, "patches": patches, "exploit": exploit})
            return
        f = finding
        out.print(f"[bold]{f.id}[/] {escape(f.message)}")
        out.print(f"  rule      {escape(f.rule_id)}   CWE-{f.cwe}")
        out.print(f"  location  {escape(str(f.location))}" + (f" in {f.scope}" if f.scope else ""))
        out.print(
            f"  severity  [{sev_style(f.severity)}]{f.severity}[/]   confidence {f.confidence}"
        )
        out.print(f"  status    {f.status}   (delta {f.delta}, first seen {f.first_seen_run})")
        out.print(f"  risk      {f.risk_score}: " + "; ".join(f.risk_reasons))
        if f.priority is not None:
            p = f.priority
            out.print(f"  priority  {p.ssvc} (SLA {p.sla_days} days): {' > '.join(p.ssvc_path)}")
            out.print(f"  cvss      {p.cvss_v3_vector} ({p.cvss_v3_score}); {p.cvss_source}")
            out.print(f"            {p.cvss_v4_vector} ({p.cvss_v4_score})")
        out.print(f"  fingerprint {f.fingerprint}")
        out.print("  sources:")
        for s in f.sources:
            out.print(
                f"    {s.engine}: {escape(s.rule_id)} ({s.severity}/{s.confidence}) "
                f"{escape(s.message)}"
            )
        if f.suppression:
            out.print(f"  dismissed: {escape(f.suppression.rule)}: {escape(f.suppression.reason)}")
        if f.dependency:
            d = f.dependency
            fixed = ", ".join(d.fixed_versions) or "no fixed version known"
            out.print(
                f"  dependency {d.package}=={d.version} in {d.manifest}: {d.advisory_id} "
                f"{' '.join(d.aliases)}; fixed in {fixed}"
            )
        if f.flow:
            out.print("  flow:")
            for i, step in enumerate(f.flow, 1):
                out.print(f"    {i}. {escape(str(step.location))}: {escape(step.message)}")
        if exploit is not None:
            where = escape(str(exploit.path)) if exploit.path else "file missing or edited"
            out.print(
                f"  [bold red]confirmed exploitable[/]: exploit sha256 {exploit.sha256[:16]} "
                f"({where})"
            )
            for pid, state in exploit.after_patch.items():
                out.print(f"    after patch {pid}: {state.replace('_', ' ')}")
        if f.snippet:
            out.print("  code:")
            for line in f.snippet.splitlines():
                out.print(f"    | {escape(line)}")
        for record in patches:
            _print_patch(record, with_diff=False)

    @app.command("runs")
    def runs(
        repo: Path = RepoOption,
        db: str | None = DbOption,
        as_json: bool = JsonOption,
    ) -> None:
        """List the runs recorded for the repository."""
        from mamori.actions import Workspace

        with Workspace.open(repo, db_url=db) as ws:
            items = ws.store.list_runs(str(ws.root))
        if as_json:
            print_json(items)
            return
        table = Table(title=f"{len(items)} runs")
        for col in ("id", "started", "actor", "status", "head", "branch", "summary"):
            table.add_column(col)
        for r in items:
            summary = ", ".join(
                f"{k} {v}"
                for k, v in r.summary.items()
                if v and k in ("findings", "new", "fixed", "delivered", "in_review")
            )
            table.add_row(
                r.id,
                r.started_at[:19],
                escape(r.actor),
                r.status,
                (r.head_commit or "")[:10],
                r.branch or "",
                summary,
            )
        out.print(table)


def _print_patch(record: PatchRecord, *, with_diff: bool) -> None:
    p = record.patch
    out.print(f"[bold]patch {p.id}[/] for {p.finding_id}: {record.state}")
    out.print(
        f"  fixer {escape(p.fixer_id)} ({p.strategy}); risk {p.risk}: {escape(p.risk_reason)}"
    )
    out.print(f"  requested by {escape(p.requested_by)}; files {', '.join(p.files)}")
    out.print(f"  {escape(p.description)}")
    v = record.verification
    if v is not None:
        out.print(f"  verification: {v.status} ({escape(v.environment)})")
        for c in v.checks:
            out.print(f"    {c.name}: {c.status} - {escape(c.detail)}")
        if v.tests_before is not None or v.tests_after is not None:
            out.print(
                f"    tests before: {tests_text(v.tests_before)}; "
                f"after: {tests_text(v.tests_after)}"
            )
    if record.decision is not None:
        d = record.decision
        out.print(f"  gate: {d.outcome} by rule {d.rule}")
        for r in d.reasons:
            out.print(f"    - {escape(r)}")
    for rev in record.reviews:
        out.print(f"  review: {rev.verdict} by {escape(rev.reviewer)} {escape(rev.reason)}")
    if record.delivery is not None:
        out.print(f"  delivered: {record.delivery.branch} @ {record.delivery.commit[:12]}")
    if record.rollback_commit:
        out.print(f"  rolled back by {record.rollback_commit[:12]}")
    if with_diff:
        out.print(escape(p.diff), highlight=False)
