from __future__ import annotations

from pathlib import Path

import pytest

from mamori.config import Config
from mamori.domain import Criticality, Exposure
from mamori.errors import ConfigError, ExitCode


def test_defaults_without_a_file(tmp_path: Path) -> None:
    c = Config.load(tmp_path)
    assert c.asset.criticality is Criticality.MEDIUM
    assert "tests/**" in c.exclude
    assert c.source_hash == ""


def test_asset_rules_first_match_wins(tmp_path: Path) -> None:
    (tmp_path / "mamori.toml").write_text(
        '[asset]\ncriticality = "high"\nexposure = "internet-facing"\nowner = "payments"\n'
        '[[asset.paths]]\nglob = "admin/*"\ncriticality = "critical"\nexposure = "internal"\n'
    )
    c = Config.load(tmp_path)
    assert c.asset_for("app.py").exposure is Exposure.INTERNET_FACING
    admin = c.asset_for("admin/export.py")
    assert admin.criticality is Criticality.CRITICAL and admin.owner == "payments"
    assert len(c.source_hash) == 64


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[asset]\ncriticality = 'extreme'\n", "asset.criticality"),
        ("[scan]\nmax_file_bytes = -1\n", "scan.max_file_bytes"),
        ("[scna]\n", "scna"),
        ("[asset\n", "not valid TOML"),
    ],
)
def test_invalid_config_names_the_problem(tmp_path: Path, text: str, needle: str) -> None:
    (tmp_path / "mamori.toml").write_text(text)
    with pytest.raises(ConfigError) as e:
        Config.load(tmp_path)
    assert needle in e.value.diagnostics()
    assert e.value.exit_code is ExitCode.BAD_CONFIG
