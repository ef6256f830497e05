"""Options of the taint engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, kw_only=True)
class TaintOptions:
    """How the taint engine behaves.

    ``model_files``: extra TOML model files (same tables as the bundled ``models/*.toml``).
    ``unknown_calls``: what a call the models do not know does with its arguments:
      ``"propagate"`` (default; arguments flow to the return value, findings through such calls
      get MEDIUM confidence) or ``"clean"`` (nothing flows; fewer findings, more misses).
    ``context_rules_in_tests``: report hard-coded secrets in test files too (off: fixtures
      hold dummy credentials by design).
    ``jobs``: worker processes for large scans (0: one per CPU; 1: analyse in this process).
    ``cache``: keep per-file results in ``cache_dir`` (default ``<repo>/.mamori/cache``) keyed
      by content hash and by fingerprints of what each file's analysis used of other files
      (function summaries, module interfaces), so a re-scan re-analyses the changed files and
      only those dependents whose used summaries changed.
    ``entry_point_parameters``: treat the parameters of public functions (and methods of
      module-level classes) that no file of the scan refers to as untrusted: a library's
      callers pass them. Reported for the injection sinks only, with MEDIUM confidence; tests,
      underscore-prefixed names, views and int/bool/UUID-typed parameters are left out.
    """

    model_files: tuple[Path, ...] = ()
    unknown_calls: Literal["propagate", "clean"] = "propagate"
    context_rules_in_tests: bool = False
    jobs: int = 0
    cache: bool = True
    cache_dir: Path | None = None
    entry_point_parameters: bool = True
