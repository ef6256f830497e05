from __future__ import annotations

from dataclasses import replace

import pytest

from mamori.domain import RuleId, Severity
from mamori.errors import ConfigError
from mamori.prioritize.cvss import CWE_DEFAULTS, is_automatable, score_v3, score_v4, vectors_for
from tests.prioritize.conftest import COOKIE, SQLI


def test_known_scores_from_the_cvss_library() -> None:
    assert score_v3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8
    assert score_v3("AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N") == 6.1  # prefix added
    assert score_v4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N") == 9.3
    with pytest.raises(ValueError, match=r"invalid CVSS v3\.1"):
        score_v3("AV:X")
    # Reports label these as v3.1 and v4.0: another version is refused, not mislabelled.
    with pytest.raises(ValueError, match=r"does not start with CVSS:3\.1/"):
        score_v3("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    with pytest.raises(ValueError, match=r"does not start with CVSS:4\.0/"):
        score_v4("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")


@pytest.mark.parametrize("cwe", sorted(CWE_DEFAULTS))
def test_every_default_vector_is_valid(cwe: int) -> None:
    v3, v4 = CWE_DEFAULTS[cwe]
    assert 0 <= score_v3(v3) <= 10
    assert 0 <= score_v4(v4) <= 10


def test_cwe_default_then_rule_override_then_triage() -> None:
    base = vectors_for(SQLI)
    assert (base.v3_score, base.source) == (9.8, "cwe default")
    assert base.v3_vector.startswith("CVSS:3.1/") and base.v4_vector.startswith("CVSS:4.0/")
    rule = {SQLI.rule_id: ("AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", None)}
    over = vectors_for(SQLI, rules=rule)
    assert over.v3_score == 7.2 and over.v4_score == base.v4_score
    assert over.source == "v3 rule override, v4 cwe default"
    tri = vectors_for(SQLI, rules=rule, triage=("AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", None))
    assert tri.v3_score < over.v3_score and tri.source.startswith("v3 triage")


def test_unknown_cwe_falls_back_to_the_severity_band() -> None:
    f = replace(SQLI, cwe=99999, severity=Severity.MEDIUM, rule_id=RuleId("x:y"))
    s = vectors_for(f)
    assert s.source == "severity default"
    assert Severity.from_cvss(s.v3_score) is Severity.MEDIUM


def test_invalid_override_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=str(SQLI.rule_id)):
        vectors_for(SQLI, cwes={89: ("AV:N/nonsense", None)})


def test_automatable_needs_network_no_privileges_no_interaction() -> None:
    assert is_automatable(vectors_for(SQLI).v3_vector)
    assert not is_automatable(vectors_for(COOKIE).v3_vector)  # user interaction required
