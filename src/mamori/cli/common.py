"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import typer

RepoOption = typer.Option(
    Path("."),
    "--repo",
    "-C",
    help="The git repository (default: the current directory).",
    show_default=False,
)
DbOption = typer.Option(
    None,
    "--db",
    help="SQLAlchemy URL of the state database (default: sqlite in REPO/.mamori/mamori.db; "
    "PostgreSQL: postgresql+psycopg://user@host/db). Also MAMORI_DB.",
    envvar="MAMORI_DB",
)
JsonOption = typer.Option(False, "--json", help="Print JSON for machines instead of a table.")
ActorOption = typer.Option(
    None,
    "--as",
    help="Who is acting (default: MAMORI_ACTOR, else the login name). Recorded in the ledger.",
)
