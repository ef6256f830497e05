#!/usr/bin/env python3
"""Developer entry point that needs nothing but Python 3.11+ and git.

    python3 dev.py demo    # install into .venv, then run the whole pipeline on the bundled example
    python3 dev.py test    # install into .venv, then run the whole test suite
    python3 dev.py lint    # ruff check, ruff format --check, mypy --strict
    python3 dev.py docs    # regenerate the rule and fixer pages under docs/

The virtual environment lives in .venv beside this file; it is (re)installed when
pyproject.toml changes. Extra arguments after the command go to the underlying tool
(pytest for `test`, `mamori demo` for `demo`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".mamori-installed"


def _say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def _run(cmd: list[str], **kw: object) -> int:
    _say(" ".join(str(c) for c in cmd))
    return subprocess.call(cmd, cwd=ROOT, **kw)  # type: ignore[call-overload]


def ensure_venv(extras: str = "dev") -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under whatever python3 is on PATH
        sys.exit(f"Mamori needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest() + ":" + extras
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PY.exists():
        return
    if not PY.exists():
        _say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    quiet = [] if os.environ.get("CI") else ["-q"]
    if _run([str(PY), "-m", "pip", "install", *quiet, "--upgrade", "pip"]) != 0:
        sys.exit("could not upgrade pip in .venv")
    if _run([str(PY), "-m", "pip", "install", *quiet, "-e", f".[{extras}]"]) != 0:
        sys.exit("could not install Mamori into .venv (see the pip output above)")
    STAMP.write_text(wanted)


def ensure_sandbox() -> None:
    """Mamori runs a project's tests only inside bubblewrap; install it where we can."""
    if not sys.platform.startswith("linux") or shutil.which("bwrap"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        _say("installing bubblewrap (the sandbox for running untrusted code)")
        if (
            _run(["apt-get", "update", "-qq"]) == 0
            and _run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "bubblewrap"])
            == 0
        ):
            return
    _say(
        "bubblewrap (bwrap) is not installed: Mamori will refuse to run tests of scanned code. "
        "Install it with your package manager (e.g. `sudo apt-get install bubblewrap`)."
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        ensure_venv()
        ensure_sandbox()
        return _run([str(BIN / "mamori"), "demo", "--example", "examples/payments-portal", *rest])
    if command == "test":
        ensure_venv()
        ensure_sandbox()
        return _run([str(PY), "-m", "pytest", *rest])
    if command == "lint":
        ensure_venv()
        rc = _run([str(BIN / "ruff"), "check", "src", "tests", "bench", "dev.py"])
        rc |= _run([str(BIN / "ruff"), "format", "--check", "src", "tests", "bench", "dev.py"])
        rc |= _run([str(BIN / "mypy"), "src"])
        return rc
    if command == "docs":
        ensure_venv()
        return _run(
            [
                str(PY),
                "-c",
                "from pathlib import Path\n"
                "from mamori.fix.docs import write_fixer_docs\n"
                "from mamori.scan.taint.docs import write_docs\n"
                "write_fixer_docs(Path('docs/fixers'))\n"
                "write_docs(Path('docs/rules'))\n",
            ]
        )
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
