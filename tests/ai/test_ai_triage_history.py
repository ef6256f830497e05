"""AI triage sends the earlier decisions a person would look at: bounded, as data, redacted."""

from __future__ import annotations

import json
import re

from mamori.ai.prompts import TRIAGE
from mamori.ai.usage import CallLog
from mamori.domain import (
    Confidence,
    Finding,
    FindingStatus,
    Fingerprint,
    FixerId,
    Location,
    Patch,
    PatchId,
    PatchState,
    Review,
    ReviewVerdict,
    RiskClass,
    RuleId,
    RunId,
    Severity,
    Strategy,
    Suppression,
)
from mamori.store.ids import finding_id
from mamori.store.sql import SqlStore
from mamori.triage.ai_triage import EARLIER_MAX, EARLIER_REASON_CHARS, ai_triage
from tests.ai.conftest import GatewayFactory
from tests.ai.fake_llm import FakeLLM, Reply

REPO = "/srv/repos/payments"
RULE = "bandit:B307"
CODE = "def f(x):\n    return eval(x)\n"
AWS_KEY = "AKIAZ7QWERTYUIOP1234"  # AKIA + 16: detect-secrets' AWS access key id
TP = Reply(
    output={"verdict": "tp", "exploitability": "high", "reasoning": "eval", "confidence": 0.9}
)


def make(
    fp: str,
    path: str,
    *,
    run: RunId,
    rule: str = RULE,
    status: FindingStatus = FindingStatus.OPEN,
    reason: str = "",
) -> Finding:
    return Finding(
        id=finding_id(REPO, Fingerprint(fp)),
        fingerprint=Fingerprint(fp),
        rule_id=RuleId(rule),
        cwe=95,
        message="eval",
        location=Location(path=path, start_line=2),
        snippet="return eval(x)",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        sources=(),
        status=status,
        suppression=Suppression(
            rule="triage", reason=reason, location=Location(path=path, start_line=0)
        )
        if reason
        else None,
        first_seen_run=run,
        last_seen_run=run,
    )


def new_run(store: SqlStore) -> RunId:
    return store.begin_run(repo=REPO, actor="alice", head_commit=None, options={}).id


def sent_to_model(llm: FakeLLM) -> str:
    [seen] = llm.seen
    content = seen.body["messages"][0]["content"]
    assert isinstance(content, str)
    return content


def earlier_block(sent: str) -> list[str]:
    """The lines of the earlier-decisions data block (and check that it is one)."""
    m = re.search(
        r"<<<DATA nonce=(\w+) earlier-decisions>>>\n(.*?)\n<<<END DATA nonce=\1>>>", sent, re.S
    )
    assert m is not None, sent
    return m.group(2).splitlines()


def test_earlier_dismissal_of_the_rule_is_sent_with_its_reason_redacted(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    old_run = new_run(store)
    dismissed = make(
        "fp-old",
        "app/other.py",
        run=old_run,
        status=FindingStatus.FALSE_POSITIVE,
        reason=f"eval only sees the constant table; key {AWS_KEY} in the comment is revoked",
    )
    unrelated = make(
        "fp-unrelated",
        "app/z.py",
        run=old_run,
        rule="bandit:B608",
        status=FindingStatus.FALSE_POSITIVE,
        reason="UNRELATED RULE REASON",
    )
    store.save_findings(old_run, REPO, [dismissed, unrelated])
    run = new_run(store)
    target = make("fp-target", "app/x.py", run=run)
    store.save_findings(run, REPO, [target])
    # An earlier, expired risk acceptance on the finding itself, and a rejected patch for it.
    store.accept_risk(
        target.id,
        owner="alice.owner@bank.example",
        reason="compensating WAF rule; contact alice.owner@bank.example",
        expires="2026-01-01T00:00:00Z",
        actor="alice",
    )
    patch = Patch(
        id=PatchId("P-target"),
        finding_id=target.id,
        fixer_id=FixerId("ai:patch"),
        strategy=Strategy.AI,
        risk=RiskClass.LOW,
        risk_reason="",
        description="literal_eval",
        diff="",
        files=("app/x.py",),
        requested_by="alice",
    )
    store.save_patch(run, patch, PatchState.IN_REVIEW)
    store.add_review(
        Review(
            patch_id=patch.id,
            reviewer="bob",
            verdict=ReviewVerdict.REJECTED,
            reason="breaks the rates import",
        )
    )
    llm.script(TP)
    gw = make_gateway(run_id=run)  # the repository is found through the gateway's run

    ai_triage([target], gateway=gw, read=lambda p: CODE)

    sent = sent_to_model(llm)
    lines = earlier_block(sent)
    assert len(lines) == 3, lines
    # This finding's own decisions first (newest first), then the rule's.
    assert lines[0].split(", ", 1)[1].startswith("this finding: patch rejected in review by bob")
    assert "breaks the rates import" in lines[0]
    assert "this finding: risk accepted" in lines[1] and "compensating WAF rule" in lines[1]
    assert f"another {RULE} finding in app/other.py: dismissed as a false positive" in lines[2]
    assert "eval only sees the constant table" in lines[2]
    assert "UNRELATED RULE REASON" not in sent  # another rule's decision is not sent
    # The secret and the e-mail address inside reasons left as placeholders, not as values.
    assert AWS_KEY not in sent and "alice.owner@bank.example" not in sent
    assert re.search(r"key MAMORI_REDACTED_\w+ in the comment", lines[2]), lines[2]
    assert "MAMORI_REDACTED_EMAIL_" in lines[1]
    # What the store keeps as the request body is what left; the ledger counts the redactions.
    [row] = CallLog(store.engine).calls(run_id=run)
    assert row["prompt_version"] == TRIAGE.version == "triage/2"
    assert AWS_KEY not in row["request_body"]
    assert (
        "eval only sees the constant table"
        in json.loads(row["request_body"])["messages"][0]["content"]
    )
    [call] = [e for e in store.events(run_id=run) if e.kind == "ai.call"]
    assert call.payload["redactions"] >= 2
    [verdict] = [e for e in store.events(run_id=run) if e.kind == "ai.triage"]
    assert verdict.payload["earlier_decisions"] == 3


def test_earlier_decisions_are_bounded_newest_first_and_reasons_cut_between_words(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    old_run = new_run(store)
    # A long reason whose secret straddles the cut: no fragment of it may leave.
    filler = "word " * ((EARLIER_REASON_CHARS - 25) // 5)
    old = [
        make(
            f"fp-old-{i}",
            f"app/old_{i}.py",
            run=old_run,
            status=FindingStatus.SUPPRESSED,
            reason=f"old reason {i}: {filler}{AWS_KEY} tail",
        )
        for i in range(EARLIER_MAX + 5)
    ]
    store.save_findings(old_run, REPO, old)
    newer_run = new_run(store)
    newest = make(
        "fp-newest",
        "app/newest.py",
        run=newer_run,
        status=FindingStatus.FALSE_POSITIVE,
        reason="NEWEST REASON",
    )
    store.save_findings(newer_run, REPO, [newest])
    run = new_run(store)
    target = make("fp-target", "app/x.py", run=run)
    llm.script(TP)

    ai_triage([target], gateway=make_gateway(run_id=run), read=lambda p: CODE, repo=REPO)

    sent = sent_to_model(llm)
    lines = earlier_block(sent)
    assert len(lines) == EARLIER_MAX
    assert "NEWEST REASON" in lines[0]  # most recent first
    assert all("suppressed by triage" in line for line in lines[1:])
    for line in lines[1:]:
        reason = line.split(": ", 2)[2]
        assert len(reason) <= EARLIER_REASON_CHARS + len(" [...]")
        assert reason.endswith(" [...]")
    assert AWS_KEY[:8] not in sent and "MAMORI_REDACTED" not in sent  # dropped whole, not cut
    assert f"{EARLIER_MAX} recorded on this finding or its rule" in sent


def test_decisions_on_files_the_model_may_not_see_are_withheld(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    run = new_run(store)
    secret_file = make(
        "fp-vault",
        "vault/keys.py",
        run=run,
        status=FindingStatus.FALSE_POSITIVE,
        reason="VAULT REASON",
    )
    public_file = make(
        "fp-public",
        "app/ok.py",
        run=run,
        status=FindingStatus.FALSE_POSITIVE,
        reason="PUBLIC REASON",
    )
    # Restricted code may go only to the self-hosted backend; this finding's (internal) code goes
    # to the first backend, so a decision quoting restricted code would raise what is sent.
    core_file = make(
        "fp-core",
        "core/ledger.py",
        run=run,
        status=FindingStatus.FALSE_POSITIVE,
        reason="CORE REASON",
    )
    store.save_findings(run, REPO, [secret_file, public_file, core_file])
    target = make("fp-target", "app/x.py", run=run)
    llm.script(TP)
    gw = make_gateway(
        run_id=run,
        routing={"never": ["vault/**"], "restricted": ["local"]},
        classification=[{"glob": "core/**", "class": "restricted"}],
    )

    ai_triage([target], gateway=gw, read=lambda p: CODE)

    sent = sent_to_model(llm)
    assert llm.seen[0].path.endswith("/messages")  # the Anthropic backend, as without history
    assert "PUBLIC REASON" in "\n".join(earlier_block(sent))
    assert "VAULT REASON" not in sent and "vault/keys.py" not in sent
    assert "CORE REASON" not in sent and "core/ledger.py" not in sent
    assert "2 more withheld" in sent
    [row] = CallLog(store.engine).calls(run_id=run)
    assert row["data_class"] == "internal"


def test_without_a_repository_only_the_previous_status_is_sent(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    run = new_run(store)
    store.save_findings(
        run,
        REPO,
        [make("fp-old", "app/o.py", run=run, status=FindingStatus.FALSE_POSITIVE, reason="R")],
    )
    llm.script(TP)
    # "R-test" is no run in the store: no repository, no history (and no error).
    ai_triage([make("fp-target", "app/x.py", run=run)], gateway=make_gateway(), read=lambda p: CODE)
    sent = sent_to_model(llm)
    assert "earlier-decisions" not in sent
    assert "Earlier decisions: new finding; 0 recorded" in sent
