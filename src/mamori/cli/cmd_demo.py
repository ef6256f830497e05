"""``mamori demo``: the whole pipeline on the bundled example, in a temporary copy."""

from __future__ import annotations

import subprocess
from pathlib import Path

import typer
from rich.markup import escape

from mamori.cli.cmd_run import print_summary
from mamori.cli.output import out, status


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
        from mamori.actions import Workspace, check_ledger
        from mamori.demo import default_example, prepare_demo_repo
        from mamori.pipeline import Pipeline, PipelineOptions

        src = (example or default_example()).resolve()
        repo = prepare_demo_repo(src, workdir)
        out.print(f"[bold]Demo repository:[/] {repo.root} (a git copy of {escape(str(src))})")
        ws = Workspace.open(repo.root)
        try:
            with status("starting") as s:
                pipeline = Pipeline.from_config(
                    root=ws.root,
                    config=ws.config,
                    store=ws.store,
                    options=PipelineOptions(actor="demo-operator"),
                    progress=lambda stage, m: s.update(escape(f"{stage}: {m}")),
                )
                summary = pipeline.run()
            print_summary(summary)
            report = check_ledger(ws)
        finally:
            ws.close()
        out.print(
            f"Ledger: {'OK' if report.ok else 'FAILED'}, {report.events_checked} events verified"
        )
        if summary.branch:
            log = subprocess.run(
                ["git", "log", "--oneline", f"main..{summary.branch}"],
                cwd=repo.root,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            out.print(f"[bold]Commits on {summary.branch}:[/]")
            out.print(escape(log.rstrip()))
        out.print(
            "\nTry next (the run was made as 'demo-operator'; approvals need another person):\n"
            f"  cd {repo.root}\n"
            "  mamori findings\n"
            "  mamori review list\n"
            "  MAMORI_ACTOR=reviewer mamori review approve PATCH_ID\n"
            "  mamori ledger verify"
        )
        if not report.ok:
            raise typer.Exit(8)
