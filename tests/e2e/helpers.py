from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def mamori(
    *args: str,
    cwd: Path | None = None,
    actor: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MAMORI_")}
    if os.environ.get("MAMORI_REQUIRE_SERVICES"):
        full_env["MAMORI_REQUIRE_SERVICES"] = os.environ["MAMORI_REQUIRE_SERVICES"]
    full_env["COLUMNS"] = "200"
    if actor:
        full_env["MAMORI_ACTOR"] = actor
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mamori.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def mamori_json(*args: str, **kw: Any) -> Any:
    proc = mamori(*args, "--json", **kw)
    assert proc.stdout.strip(), f"no output (exit {proc.returncode}): {proc.stderr}"
    return json.loads(proc.stdout)
