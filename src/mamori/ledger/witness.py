"""Witnesses: second copies of every checkpoint, out of the writer's reach.

A checkpoint is a signed tree head. If the writer (or anyone holding its database and key)
later rewrites history and replaces its own checkpoints, the copies a witness kept still commit
to the old tree, and ``mamori ledger verify`` names the copy that no longer matches.

Two kinds, both optional (``mamori.toml [ledger]``):

- ``witness_dir``: a directory (e.g. a mounted share the writer can only add to); one file per
  checkpoint, ``checkpoint-<size:012d>-<root[:16]>.note``, never overwritten.
- ``witness_url``: an HTTP endpoint. The protocol is deliberately small:

  - ``POST <url>`` with the signed note as the body (``text/plain; charset=utf-8``): any 2xx
    means stored. A witness should answer ``409 Conflict`` to a note for a tree size it already
    holds with another root (a rewritten history) and ``400`` to a body that is not a
    checkpoint.
  - ``GET <url>`` answers ``200`` with ``{"checkpoints": ["<note>", ...]}`` (JSON): every note it
    holds.

  :class:`WitnessServer` implements it (``mamori ledger witness-serve``) on top of a
  :class:`DirectoryWitness`.

Publishing failures are not fatal to the run that made the checkpoint (the events are already
committed) but they are never silent: :class:`mamori.ledger.service.Ledger` records each one as
a ``ledger.witness.failed`` event and reports it.
"""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol

from mamori.errors import Error
from mamori.ledger.note import NoteError, parse_checkpoint

__all__ = [
    "DirectoryWitness",
    "HttpWitness",
    "Witness",
    "WitnessCopy",
    "WitnessError",
    "WitnessServer",
]

MAX_NOTE_BYTES = 64 * 1024
DEFAULT_TIMEOUT_S = 10.0


class WitnessError(Error):
    """A checkpoint could not be given to, or read back from, a witness."""


@dataclass(frozen=True, kw_only=True)
class WitnessCopy:
    label: str  # names the copy in messages, e.g. "witness copy checkpoint-...note (dir)"
    note: str


class Witness(Protocol):
    """Somewhere a copy of every checkpoint is kept."""

    @property
    def name(self) -> str:
        """The directory or URL, for messages."""
        ...

    def publish(self, note: str, *, tree_size: int, root_hash: str) -> None:
        """Hand over one signed checkpoint; raise :class:`WitnessError` if it was not kept."""
        ...

    def copies(self) -> list[WitnessCopy]:
        """Every checkpoint note the witness holds; raise :class:`WitnessError` if unreadable."""
        ...


def _file_name(tree_size: int, root_hash: str) -> str:
    return f"checkpoint-{tree_size:012d}-{root_hash[:16]}.note"


class DirectoryWitness:
    """One file per checkpoint in a directory, never overwritten."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @property
    def name(self) -> str:
        return str(self.directory)

    def publish(self, note: str, *, tree_size: int, root_hash: str) -> None:
        # Never overwritten: the witness keeps every tree head the writer ever signed, so a
        # later rewrite of history cannot be hidden from it.
        target = self.directory / _file_name(tree_size, root_hash)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if target.exists():
                return
            tmp = self.directory / f".{target.name}.{os.getpid()}.tmp"
            tmp.write_text(note, encoding="utf-8")
            os.replace(tmp, target)
        except OSError as e:
            raise WitnessError(
                f"cannot write the checkpoint to the witness directory {self.directory}: {e}"
            ) from e

    def holds_other_root(self, tree_size: int, root_hash: str) -> bool:
        prefix = f"checkpoint-{tree_size:012d}-"
        mine = _file_name(tree_size, root_hash)
        return any(p.name != mine for p in self.directory.glob(prefix + "*.note"))

    def copies(self) -> list[WitnessCopy]:
        if not self.directory.is_dir():
            return []
        out = []
        for p in sorted(self.directory.glob("checkpoint-*.note")):
            try:
                note = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise WitnessError(f"witness copy {p} cannot be read: {e}") from e
            out.append(WitnessCopy(label=f"witness checkpoint {p.name}", note=note))
        return out


class HttpWitness:
    """The HTTP witness protocol of this module's docstring (standard library client)."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.url = url
        self.timeout = timeout

    @property
    def name(self) -> str:
        return self.url

    def publish(self, note: str, *, tree_size: int, root_hash: str) -> None:
        request = urllib.request.Request(
            self.url,
            data=note.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "text/plain; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read(MAX_NOTE_BYTES)
        except urllib.error.HTTPError as e:
            detail = e.read(512).decode("utf-8", "replace").strip().splitlines()
            reason = f": {detail[0]}" if detail else ""
            raise WitnessError(
                f"the witness {self.url} refused the checkpoint of size {tree_size} "
                f"(HTTP {e.code}{reason})"
            ) from e
        except (urllib.error.URLError, OSError) as e:
            raise WitnessError(
                f"cannot send the checkpoint of size {tree_size} to the witness {self.url}: "
                f"{getattr(e, 'reason', e)}"
            ) from e

    def copies(self) -> list[WitnessCopy]:
        request = urllib.request.Request(self.url, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read())
        except urllib.error.HTTPError as e:
            raise WitnessError(
                f"cannot read the checkpoints held by the witness {self.url} (HTTP {e.code})"
            ) from e
        except (urllib.error.URLError, OSError) as e:
            raise WitnessError(
                f"cannot read the checkpoints held by the witness {self.url}: "
                f"{getattr(e, 'reason', e)}"
            ) from e
        except ValueError as e:
            raise WitnessError(f"the witness {self.url} answered with invalid JSON: {e}") from e
        notes = data.get("checkpoints") if isinstance(data, dict) else None
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise WitnessError(
                f"the witness {self.url} did not answer with {{'checkpoints': [notes]}}"
            )
        return [WitnessCopy(label=self._label(i, n), note=n) for i, n in enumerate(notes)]

    def _label(self, i: int, note: str) -> str:
        try:
            cp = parse_checkpoint(note)
        except NoteError:
            return f"witness copy {i + 1} at {self.url}"
        return f"witness copy of size {cp.size} (root {cp.root.hex()[:16]}...) at {self.url}"


class WitnessServer:
    """A reference HTTP witness that keeps the notes in a :class:`DirectoryWitness`.

    It checks that a POSTed body is a checkpoint (not its signature: a witness need not know
    the writer's key) and refuses a second root for a tree size it already holds.
    """

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = DirectoryWitness(directory)
        self._lock = threading.Lock()
        witness = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass  # no request log on stderr

            def _answer(self, status: HTTPStatus, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                try:
                    notes = [c.note for c in witness.store.copies()]
                except WitnessError as e:
                    self._answer(HTTPStatus.INTERNAL_SERVER_ERROR, e.message.encode(), "text/plain")
                    return
                body = json.dumps({"checkpoints": notes}).encode("utf-8")
                self._answer(HTTPStatus.OK, body, "application/json")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if not 0 < length <= MAX_NOTE_BYTES:
                    self._answer(HTTPStatus.BAD_REQUEST, b"body size out of range\n", "text/plain")
                    return
                try:
                    note = self.rfile.read(length).decode("utf-8")
                    cp = parse_checkpoint(note)
                except (UnicodeDecodeError, NoteError) as e:
                    self._answer(HTTPStatus.BAD_REQUEST, f"{e}\n".encode(), "text/plain")
                    return
                root = cp.root.hex()
                with witness._lock:
                    if witness.store.holds_other_root(cp.size, root):
                        self._answer(
                            HTTPStatus.CONFLICT,
                            f"already holds another root for tree size {cp.size}\n".encode(),
                            "text/plain",
                        )
                        return
                    try:
                        witness.store.publish(note, tree_size=cp.size, root_hash=root)
                    except WitnessError as e:
                        self._answer(
                            HTTPStatus.INTERNAL_SERVER_ERROR, e.message.encode(), "text/plain"
                        )
                        return
                self._answer(HTTPStatus.CREATED, b"stored\n", "text/plain")

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/checkpoints"

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def start(self) -> WitnessServer:
        """Serve in a background thread (tests, embedding)."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> WitnessServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
