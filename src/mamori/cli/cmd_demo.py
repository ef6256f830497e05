"""``mamori demo``: the whole pipeline on the bundled example, in a temporary copy."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from mamori.cli.cmd_run import print_summary
from mamori.cli.output import out, stage_progress, status


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        example: Path | None = typer.Option(
            None, "--example", help="The example to copy (default: examples/payments-portal)."
        ),
        workdir: Path | None = typer.Option(
            None, "--workdir", help="Where to put the copy (default: a new temporary directory)."
        ),
    ) -> None:
        """Copy the example into a new git repository, run the whole pipeline, verify the ledger.

        The example itself is never modified.
        """
        from mamori.demo import DEMO_ACTOR, default_example, run_demo

        src = (example or default_example()).resolve()
        out.print(f"[bold]Copying[/] {escape(str(src))} into a new git repository")
        with status("starting") as s:
            result = run_demo(src, workdir, progress=stage_progress(s))
        summary, report, root = result.summary, result.ledger, result.repo.root
        out.print(f"[bold]Demo repository:[/] {root}")
        print_summary(summary)
        out.print(
            f"Ledger: {'OK' if report.ok else 'FAILED'}, {report.events_checked} events verified"
        )
        if summary.branch:
            out.print(f"[bold]Commits on {summary.branch}:[/]")
            out.print(escape(result.branch_log))
        out.print(
            f"\nTry next (the run was made as {DEMO_ACTOR!r}; approvals need another person):\n"
            f"  cd {root}\n"
            "  mamori findings\n"
            "  mamori review list\n"
            "  MAMORI_ACTOR=reviewer mamori review approve PATCH_ID\n"
            "  mamori ledger verify"
        )
        if not report.ok:
            raise typer.Exit(8)
