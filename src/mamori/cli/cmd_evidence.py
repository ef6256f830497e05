"""``mamori evidence``: export one run's evidence as a bundle, and verify a bundle offline."""

from __future__ import annotations

from pathlib import Path

import typer

from mamori.cli.common import DbOption, JsonOption, RepoOption
from mamori.cli.output import out, print_json

app = typer.Typer(help="Export and verify evidence bundles.", no_args_is_help=True)


@app.command("export")
def export(
    run: str = typer.Option(..., "--run", help="The run id."),
    output: Path = typer.Option(..., "--output", "-o", help="The zip file to write."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Write events, checkpoints, proofs, attestations, public keys and a verifier to a zip."""
    from mamori.actions import Workspace
    from mamori.ledger.evidence import ExportOptions, export_bundle

    with Workspace.open(repo, db_url=db) as ws:
        summary = export_bundle(ws.store, ws.root, ExportOptions(run_id=run, output=output))
    if as_json:
        print_json(summary)
        return
    out.print(
        f"wrote {summary.path}: {summary.events} events, {summary.checkpoints} checkpoints, "
        f"{summary.attestations} attestations"
    )


@app.command("verify")
def verify(
    bundle: Path = typer.Argument(..., help="The bundle (zip)."),
    key: str | None = typer.Option(
        None, "--key", help="The verifier key the bundle must be signed with."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Verify a bundle with no database and no network."""
    from mamori.ledger.evidence import verify_bundle

    summary = verify_bundle(bundle, pinned_key=key)
    if as_json:
        print_json(summary)
        return
    out.print(
        f"bundle OK: run {summary.run_id}: {summary.events} events, "
        f"{summary.checkpoints} checkpoints, {summary.attestations} attestations"
    )
