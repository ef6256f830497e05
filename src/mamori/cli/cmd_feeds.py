"""``mamori feeds``: the KEV and EPSS feeds that prioritisation reads."""

from __future__ import annotations

from pathlib import Path

import typer

from mamori.cli.common import JsonOption, RepoOption
from mamori.cli.output import out, print_json

app = typer.Typer(help="Exploitation feeds (CISA KEV, FIRST EPSS).", no_args_is_help=True)


@app.command("update")
def update(
    kev: str | None = typer.Option(
        None, "--kev", help="CISA KEV JSON (known_exploited_vulnerabilities.json): file or URL."
    ),
    epss: str | None = typer.Option(
        None, "--epss", help="FIRST EPSS CSV (optionally .gz) with its #model_version line."
    ),
    repo: Path = RepoOption,
    as_json: bool = JsonOption,
) -> None:
    """Read the feeds and store them in REPO/.mamori/feeds for the next runs."""
    from mamori.gitutil import repo_root
    from mamori.prioritize.feeds import FEEDS_DIR
    from mamori.prioritize.feeds import update as do_update

    result = do_update(repo_root(repo) / FEEDS_DIR, kev=kev, epss=epss)
    if as_json:
        print_json(result)
        return
    if result.kev_path is not None:
        out.print(
            f"KEV {result.kev_version}: {result.kev_entries} CVEs -> {result.kev_path}",
            markup=False,
        )
    if result.epss_path is not None:
        out.print(
            f"EPSS {result.epss_model} ({result.epss_date}): {result.epss_entries} CVEs "
            f"-> {result.epss_path}",
            markup=False,
        )


@app.command("show")
def show(repo: Path = RepoOption, as_json: bool = JsonOption) -> None:
    """Show which feeds prioritisation will use."""
    from mamori.config import Config
    from mamori.gitutil import repo_root
    from mamori.prioritize.risk import PriorityOptions

    summary = PriorityOptions.from_config(Config.load(repo_root(repo))).feeds.summary()
    if as_json:
        print_json(summary)
        return
    for key, value in summary.items():
        out.print(f"{key:14} {value or '-'}", markup=False)
