"""The ``mamori`` command line: parsing and printing only; the work happens in the core.

Errors are mapped to exit codes in one place (:func:`main`); see the README for the table.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from mamori import __version__
from mamori.cli import (
    cmd_ai,
    cmd_demo,
    cmd_disclosure,
    cmd_evidence,
    cmd_feeds,
    cmd_findings,
    cmd_fixes,
    cmd_ledger,
    cmd_metrics,
    cmd_report,
    cmd_review,
    cmd_risk,
    cmd_run,
    cmd_scan,
)
from mamori.cli.output import err
from mamori.errors import Error, ExitCode

app = typer.Typer(
    name="mamori",
    help=(
        "Mamori (守り): find, fix, verify and govern security vulnerabilities in a git "
        "repository, with a ledger of evidence.\n\n"
        "Typical use: `mamori run PATH` (the whole pipeline), then `mamori review list`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mamori {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Mamori command line."""


cmd_scan.register(app)
cmd_run.register(app)
cmd_findings.register(app)
app.add_typer(cmd_review.app, name="review")
cmd_review.register_rollback(app)
app.add_typer(cmd_ledger.app, name="ledger")
app.add_typer(cmd_ai.app, name="ai")
app.add_typer(cmd_evidence.app, name="evidence")
cmd_demo.register(app)
app.add_typer(cmd_feeds.app, name="feeds")
cmd_risk.register(app)
cmd_report.register(app)
cmd_metrics.register(app)
app.add_typer(cmd_disclosure.app, name="disclosure")
app.add_typer(cmd_fixes.app, name="fixes")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI and map every Mamori error to its exit code.

    Usage errors (exit 2) and ``typer.Exit`` codes are handled by Click's standalone mode.
    """
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="mamori")
    except Error as e:
        err.print(f"[bold red]error:[/] {escape(e.diagnostics())}", markup=True, highlight=False)
        sys.exit(int(e.exit_code))
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    sys.exit(int(ExitCode.OK))


if __name__ == "__main__":
    main()
