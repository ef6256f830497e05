"""``mamori run``: the whole pipeline on a git repository."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from mamori.cli.common import ActorOption, DbOption, JsonOption
from mamori.cli.output import err, out, print_json, stage_progress, status, tests_text
from mamori.config import actor_identity
from mamori.domain import FindingStatus, GateOutcome
from mamori.pipeline import PipelineOptions, RunSummary


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        path: Path = typer.Argument(Path("."), help="The git repository to secure."),
        policy: Path | None = typer.Option(
            None,
            "--policy",
            help="Gate policy file (default: mamori.toml [gate] policy, "
            "else the built-in default policy).",
        ),
        engines: list[str] = typer.Option(
            [], "--engine", "-e", help="Run only these engines (repeatable)."
        ),
        imports: list[Path] = typer.Option(
            [], "--import", help="Also import findings from a SARIF file (repeatable)."
        ),
        advisories: Path | None = typer.Option(
            None, "--advisories", help="OSV advisory directory (default: the bundled subset)."
        ),
        unsafe_no_sandbox: bool = typer.Option(
            False,
            "--unsafe-no-sandbox",
            help="Development only: run the project's tests without the sandbox. Nothing "
            "verified this way can be auto-accepted; the run records it in the ledger.",
        ),
        db: str | None = DbOption,
        actor: str | None = ActorOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Scan, triage, prioritise, fix, verify, gate and deliver, recording evidence.

        Accepted fixes are committed on a new branch mamori/<run-id>; your current branch and
        working tree are never touched. Exit codes: 0 done, 9 the project has no tests (patches
        wait for review), 12 some files were not analysed; see the README for the others.
        """
        from mamori.actions import Workspace

        with Workspace.open(path, db_url=db) as ws:
            with status("starting") as s:
                summary = ws.run_pipeline(
                    PipelineOptions(
                        actor=actor_identity(actor),
                        policy_file=policy,
                        engines=tuple(engines) or None,
                        sarif_imports=tuple(imports),
                        advisory_db=advisories,
                        unsafe_no_sandbox=unsafe_no_sandbox,
                    ),
                    stage_progress(s),
                )
            if as_json:
                print_json(summary)
            else:
                print_summary(summary)
            code = summary.exit_code
        if code:
            raise typer.Exit(int(code))


def print_summary(s: RunSummary) -> None:
    c = s.counts
    out.print(f"[bold]Mamori run {s.run_id}[/] on {escape(s.repo)} (HEAD {s.head_commit[:12]})")
    out.print(
        f"Findings: {c['findings']} detected (new {c['new']}, still open {c['still_open']}, "
        f"reopened {c['reopened']}); fixed since the last run: {c['fixed']}; "
        f"suppressed {c['suppressed']}; dismissed as false positives {c['false_positive']}"
    )
    for f in s.fixed:
        out.print(
            f"  [green]fixed[/] {f.id} CWE-{f.cwe} {escape(str(f.location))} {escape(f.rule_id)}"
        )
    new = [f for f in s.findings if f.delta.value in ("new", "reopened")]
    for f in new:
        if f.status in (FindingStatus.SUPPRESSED, FindingStatus.FALSE_POSITIVE):
            continue
        out.print(
            f"  [bold]{f.delta}[/] {f.id} risk {f.risk_score:>4} CWE-{f.cwe:<4} "
            f"{escape(str(f.location))} {escape(f.rule_id)}"
        )
    if s.not_analysed:
        out.print(f"[bold yellow]Not analysed ({len(s.not_analysed)}): the result is incomplete[/]")
        for n in s.not_analysed:
            out.print(
                f"  {escape(n.path or '(every file)')} [{n.engine or 'all'}]: {escape(n.reason)}"
            )
    out.print(f"Tests before any patch: {tests_text(s.baseline_tests)}")
    out.print(f"Patches: {c['patches']} proposed, {c['verified']} passed all four checks")
    accepted = [p for p in s.patches if p.outcome is GateOutcome.AUTO_ACCEPT]
    review = [p for p in s.patches if p.outcome is GateOutcome.REVIEW]
    rejected = [p for p in s.patches if p.outcome is GateOutcome.REJECT]
    if accepted:
        committed = sum(p.commit is not None for p in accepted)
        out.print(
            f"  [green]auto-accepted[/] ({len(accepted)}; {committed} committed to {s.branch}):"
        )
        for p in accepted:
            where = f"commit {p.commit[:10]}" if p.commit else f"NOT delivered: {p.delivery_error}"
            out.print(
                f"    {p.patch.id} {escape(p.patch.fixer_id)} (risk {p.patch.risk}) -> {where}"
            )
    if review:
        out.print(f"  [yellow]waiting for review[/] ({len(review)}):")
        for p in review:
            out.print(f"    {p.patch.id} {escape(p.patch.fixer_id)} (risk {p.patch.risk})")
            for r in p.reasons:
                out.print(f"      - {escape(r)}")
    if rejected:
        out.print(f"  [red]rejected[/] ({len(rejected)}):")
        for p in rejected:
            out.print(
                f"    {p.patch.id} {escape(p.patch.fixer_id)}: {escape('; '.join(p.reasons))}"
            )
    if s.unfixable:
        out.print(f"No automatic fix ({len(s.unfixable)}): these wait for a person")
        for fid, reason in s.unfixable:
            out.print(f"    {fid}: {escape(reason)}")
    if s.skipped:
        out.print(f"Not re-fixed ({len(s.skipped)}):")
        for fid, reason in s.skipped:
            out.print(f"    {fid}: {escape(reason)}")
    for note in s.notes:
        out.print(f"[yellow]note:[/] {escape(note)}")
    if s.branch:
        out.print(f"Tests on {s.branch}: {tests_text(s.branch_tests)}")
        out.print(f"Next: git log --oneline {s.branch}; mamori review list")
    elif review:
        out.print("Next: mamori review list")
    if s.baseline_tests is None:
        err.print(
            "[bold yellow]warning:[/] no tests found in the repository: no patch can be "
            "auto-accepted (exit code 9)"
        )
