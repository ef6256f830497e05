"""Configuration: ``mamori.toml`` at the repository root, plus the environment.

Pydantic validates the file at the edge; the rest of Mamori sees the frozen :class:`Config`.
Unknown keys are errors (a typo must not silently weaken a setting).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mamori.domain import AssetContext, Criticality, Exposure
from mamori.errors import ConfigError

CONFIG_FILE = "mamori.toml"

DEFAULT_EXCLUDES: tuple[str, ...] = (
    "tests/**",
    "test/**",
    "**/tests/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
    "docs/**",
    "build/**",
    "dist/**",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _AssetPath(_Strict):
    glob: str
    criticality: Criticality | None = None
    exposure: Exposure | None = None
    owner: str | None = None


class _Asset(_Strict):
    criticality: Criticality = Criticality.MEDIUM
    exposure: Exposure = Exposure.INTERNAL
    owner: str = ""
    paths: list[_AssetPath] = Field(default_factory=list)


class _Scan(_Strict):
    engines: list[str] | None = None
    exclude: list[str] | None = None
    extra_exclude: list[str] = Field(default_factory=list)
    max_file_bytes: int = Field(default=1_000_000, gt=0)
    advisory_db: str | None = None


class _Verify(_Strict):
    test_command: list[str] | None = None
    timeout_seconds: float = Field(default=600, gt=0)


class _Gate(_Strict):
    policy: str | None = None


class _Project(_Strict):
    name: str | None = None


class _File(_Strict):
    project: _Project = Field(default_factory=_Project)
    asset: _Asset = Field(default_factory=_Asset)
    scan: _Scan = Field(default_factory=_Scan)
    verify: _Verify = Field(default_factory=_Verify)
    gate: _Gate = Field(default_factory=_Gate)


@dataclass(frozen=True, kw_only=True)
class AssetRule:
    glob: str
    criticality: Criticality | None
    exposure: Exposure | None
    owner: str | None


@dataclass(frozen=True, kw_only=True)
class Config:
    """Everything Mamori reads from ``mamori.toml`` (all fields have safe defaults)."""

    root: Path
    project_name: str
    asset: AssetContext = field(default_factory=AssetContext)
    asset_rules: tuple[AssetRule, ...] = ()
    engines: tuple[str, ...] | None = None  # None: every installed engine
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    max_file_bytes: int = 1_000_000
    advisory_db: Path | None = None
    test_command: tuple[str, ...] | None = None
    test_timeout_s: float = 600
    policy_file: Path | None = None
    source_hash: str = ""  # SHA-256 of mamori.toml ("" when absent), for the ledger

    @classmethod
    def load(cls, root: Path) -> Config:
        """Read ``root/mamori.toml`` if present; raises :class:`ConfigError` when invalid."""
        path = root / CONFIG_FILE
        if not path.is_file():
            return cls(root=root, project_name=root.name)
        raw = path.read_bytes()
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{path}: not valid TOML: {e}") from e
        try:
            parsed = _File.model_validate(data)
        except ValidationError as e:
            raise ConfigError(f"{path}: invalid configuration:\n{_describe(e)}") from e
        return cls._from_parsed(root, parsed, hashlib.sha256(raw).hexdigest())

    @classmethod
    def _from_parsed(cls, root: Path, parsed: _File, digest: str) -> Config:
        def rel(p: str | None) -> Path | None:
            if p is None:
                return None
            q = Path(os.path.expanduser(p))
            return q if q.is_absolute() else root / q

        exclude = (
            tuple(parsed.scan.exclude) if parsed.scan.exclude is not None else DEFAULT_EXCLUDES
        )
        return cls(
            root=root,
            project_name=parsed.project.name or root.name,
            asset=AssetContext(
                criticality=parsed.asset.criticality,
                exposure=parsed.asset.exposure,
                owner=parsed.asset.owner,
            ),
            asset_rules=tuple(
                AssetRule(
                    glob=p.glob, criticality=p.criticality, exposure=p.exposure, owner=p.owner
                )
                for p in parsed.asset.paths
            ),
            engines=tuple(parsed.scan.engines) if parsed.scan.engines is not None else None,
            exclude=exclude + tuple(parsed.scan.extra_exclude),
            max_file_bytes=parsed.scan.max_file_bytes,
            advisory_db=rel(parsed.scan.advisory_db),
            test_command=tuple(parsed.verify.test_command) if parsed.verify.test_command else None,
            test_timeout_s=parsed.verify.timeout_seconds,
            policy_file=rel(parsed.gate.policy),
            source_hash=digest,
        )

    def asset_for(self, path: str) -> AssetContext:
        """The asset context of a repository-relative path: the first matching rule wins."""
        for rule in self.asset_rules:
            if fnmatch.fnmatch(path, rule.glob):
                return AssetContext(
                    criticality=rule.criticality or self.asset.criticality,
                    exposure=rule.exposure or self.asset.exposure,
                    owner=rule.owner if rule.owner is not None else self.asset.owner,
                )
        return self.asset


def _describe(e: ValidationError) -> str:
    lines = []
    for err in e.errors():
        where = ".".join(str(x) for x in err["loc"]) or "(top level)"
        lines.append(f"  - {where}: {err['msg']}")
    return "\n".join(lines)


def actor_identity(explicit: str | None = None) -> str:
    """Who is acting: ``--as``, else ``MAMORI_ACTOR``, else the login name."""
    if explicit:
        return explicit
    env = os.environ.get("MAMORI_ACTOR")
    if env:
        return env
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid-{os.getuid()}"
