from __future__ import annotations

from pathlib import Path

import pytest

from mamori.ai.interface import DataClass
from mamori.ai.routing import Router
from mamori.config import Config
from mamori.errors import ConfigError

TOML = """
[ai]
team = "payments"
default_class = "internal"

[ai.backends.claude]
kind = "anthropic"
model = "claude-sonnet-4-5"
api_key_env = "ANTHROPIC_API_KEY"

[ai.backends.vllm]
kind = "openai"
model = "Qwen/Qwen2.5-Coder-32B-Instruct"
base_url = "http://gpu-01.internal:8000/v1"

[[ai.classification]]
glob = "src/core/**"
class = "restricted"

[[ai.classification]]
glob = "docs/**"
class = "public"

[ai.routing]
public = ["claude", "vllm"]
internal = ["claude", "vllm"]
confidential = ["vllm"]
restricted = ["vllm"]
never = ["src/keys/**"]

[[ai.redaction.patterns]]
name = "account"
regex = "\\\\b\\\\d{8,12}\\\\b"

[ai.budget]
run_tokens = 200000
team_day_cost = 50.0

[ai.cost.claude-sonnet-4-5]
input_per_mtok = 3.0
output_per_mtok = 15.0

[ai.triage]
suppress_below = "high"
min_confidence = 0.8
"""


def test_ai_section_is_read_and_routes_by_class(tmp_path: Path) -> None:
    (tmp_path / "mamori.toml").write_text(TOML)
    config = Config.load(tmp_path)
    assert config.ai is not None
    router = Router(config.ai)
    assert router.classify("src/core/ledger.py") is DataClass.RESTRICTED
    assert router.classify("src/web/app.py") is DataClass.INTERNAL
    assert router.backend_for(["src/core/ledger.py"]) == ("vllm", DataClass.RESTRICTED)
    assert router.backend_for(["docs/x.py"]) == ("claude", DataClass.PUBLIC)
    # A request is as sensitive as its most sensitive part.
    assert router.backend_for(["docs/x.py", "src/core/a.py"])[0] == "vllm"
    assert config.ai.redaction.patterns[0].regex == r"\b\d{8,12}\b"


def test_no_ai_section_means_none(tmp_path: Path) -> None:
    assert Config.load(tmp_path).ai is None


def test_typos_in_the_ai_section_are_errors(tmp_path: Path) -> None:
    (tmp_path / "mamori.toml").write_text('[ai]\nteem = "x"\n')
    with pytest.raises(ConfigError, match="teem"):
        Config.load(tmp_path)
    (tmp_path / "mamori.toml").write_text('[ai.backends.x]\nkind = "gemini"\nmodel = "m"\n')
    with pytest.raises(ConfigError, match="kind"):
        Config.load(tmp_path)
