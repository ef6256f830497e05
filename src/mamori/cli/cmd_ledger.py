"""``mamori ledger``: the tamper-evident record of everything that happened."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from mamori.cli.common import DbOption, JsonOption, RepoOption
from mamori.cli.output import err, out, print_json
from mamori.errors import LedgerTamperedError

app = typer.Typer(help="Inspect and verify the evidence ledger.", no_args_is_help=True)

KeyPinOption = typer.Option(
    None,
    "--key",
    help="The verifier key (name+keyid+base64, as printed by `mamori ledger key`) the ledger "
    "must be signed with; guards against a history rewritten under another key.",
)


@app.command("verify")
def verify(
    key: str | None = KeyPinOption,
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Check every event, every checkpoint signature, consistency between consecutive
    checkpoints, witness copies and attestations; name the first bad event or checkpoint."""
    from mamori.actions import Workspace
    from mamori.ledger.keys import PublicKey
    from mamori.ledger.service import Ledger

    pinned = PublicKey.from_vkey(key) if key else None
    with Workspace.open(repo, db_url=db) as ws:
        report = Ledger.for_root(ws.store, ws.root).audit(pinned=pinned)
    if as_json:
        print_json(report)
    if not report.ok:
        raise LedgerTamperedError(
            f"ledger verification FAILED after {report.events_checked} events: {report.problem}"
        )
    if not as_json:
        out.print(
            f"ledger OK: {report.events_checked} events, every hash and link verified; "
            f"{report.checkpoints_checked} checkpoints (signatures, roots, consistency), "
            f"{report.witness_checked} witness copies, {report.attestations_checked} attestations"
        )
        if report.witness_failed:
            ids = ", ".join(str(i) for i in report.witness_failed)
            err.print(
                f"[yellow]note:[/] the witness did not take checkpoint(s) {ids} "
                "(recorded as ledger.witness.failed events)"
            )
        if report.unwitnessed:
            ids = ", ".join(str(i) for i in report.unwitnessed)
            err.print(f"[yellow]note:[/] checkpoint(s) {ids} are not held by the witness")


@app.command("checkpoint")
def checkpoint(
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Sign the current tree head (C2SP checkpoint), store it and give it to the witnesses."""
    from mamori.actions import Workspace
    from mamori.ledger.service import Ledger

    with Workspace.open(repo, db_url=db) as ws:
        ledger = Ledger.for_root(ws.store, ws.root)
        record = ledger.checkpoint()
    # A witness failure was already logged (stderr) and recorded by checkpoint().
    if as_json:
        print_json(record)
        return
    out.print(f"checkpoint {record.id}: tree size {record.tree_size}, root {record.root_hash}")
    out.print(record.note, markup=False, end="")


@app.command("prove")
def prove(
    event: int = typer.Argument(..., help="The event's sequence number."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Inclusion proof (RFC 9162 audit path) of an event in the latest checkpoint."""
    from mamori.actions import Workspace
    from mamori.ledger.service import Ledger

    with Workspace.open(repo, db_url=db) as ws:
        proof = Ledger.for_root(ws.store, ws.root).prove(event)
    if as_json:
        print_json(proof)
        return
    out.print(
        f"event {proof.seq} is leaf {proof.leaf_index} of the tree of size {proof.tree_size}\n"
        f"leaf hash {proof.leaf_hash}\nroot      {proof.root_hash}\naudit path:"
    )
    for p in proof.path:
        out.print(f"  {p}")


@app.command("consistency")
def consistency(
    old: str = typer.Argument(..., help="Old tree size, or checkpoint id as cp:ID."),
    new: str = typer.Argument(..., help="New tree size, or checkpoint id as cp:ID."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Consistency proof (RFC 9162) that the older tree is a prefix of the newer one."""
    from mamori.actions import Workspace
    from mamori.ledger.service import Ledger

    with Workspace.open(repo, db_url=db) as ws:
        proof = Ledger.for_root(ws.store, ws.root).consistency(old, new)
    if as_json:
        print_json(proof)
        return
    out.print(
        f"tree {proof.old_size} ({proof.old_root[:16]}...) is a prefix of tree "
        f"{proof.new_size} ({proof.new_root[:16]}...); proof:"
    )
    for p in proof.path:
        out.print(f"  {p}")


@app.command("key")
def key(
    repo: Path = RepoOption,
    db: str | None = DbOption,
) -> None:
    """Print the public verifier key (created, 0600, on first use)."""
    from mamori.actions import Workspace
    from mamori.ledger.service import Ledger

    with Workspace.open(repo, db_url=db) as ws:
        public = Ledger.for_root(ws.store, ws.root).public_key()
    typer.echo(public.vkey)


@app.command("rotate-key")
def rotate_key(
    repo: Path = RepoOption,
    db: str | None = DbOption,
) -> None:
    """Replace the signing key; the rotation is an event endorsed by the old key."""
    from mamori.actions import Workspace
    from mamori.ledger.service import Ledger

    with Workspace.open(repo, db_url=db) as ws:
        ledger = Ledger.for_root(ws.store, ws.root)
        event = ledger.rotate_key()
        record = ledger.checkpoint()
    out.print(f"key rotated (event {event.seq}); new key:")
    typer.echo(event.payload["key"])
    out.print(f"checkpoint {record.id} signed with the new key")


@app.command("show")
def show(
    run: str | None = typer.Option(None, "--run", help="Only the events of this run."),
    repo: Path = RepoOption,
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List ledger events."""
    from mamori.actions import Workspace

    with Workspace.open(repo, db_url=db) as ws:
        events = list(ws.store.events(run_id=run))
    if as_json:
        print_json(events)
        return
    table = Table(title=f"{len(events)} ledger events")
    for col in ("seq", "at", "kind", "actor", "subject", "hash"):
        table.add_column(col)
    for e in events:
        table.add_row(
            str(e.seq), e.at[:19], e.kind, escape(e.actor), escape(e.subject), e.hash[:16]
        )
    out.print(table)


@app.command("witness-serve")
def witness_serve(
    directory: Path = typer.Argument(..., help="Where the witness keeps the notes."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8419, "--port", help="Port to listen on (0: any free port)."),
) -> None:
    """Run a reference HTTP witness: keeps every POSTed checkpoint, refuses a second root for
    a tree size it holds, lists them on GET (point [ledger] witness_url at it)."""
    from mamori.ledger.witness import WitnessServer

    server = WitnessServer(directory, host=host, port=port)
    out.print(f"witness listening on {server.url} (notes in {directory}); Ctrl-C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
