"""The pipeline: scan -> triage -> prioritise -> fix -> verify -> gate -> deliver, with a ledger.

Each stage is a function over values from its package; this module wires them together, keeps
the store up to date and appends evidence to the ledger after every stage. It never prints:
progress goes to a callback, results come back as a :class:`RunSummary`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mamori import __version__
from mamori.config import Config, PatternOnlyMode
from mamori.domain import (
    Delta,
    Finding,
    FindingId,
    FindingStatus,
    Fingerprint,
    GateOutcome,
    NotAnalysed,
    Patch,
    PatchId,
    PatchState,
    RunId,
    ScanReport,
    TestSummary,
    Verification,
)
from mamori.errors import ExitCode, NotFoundError
from mamori.fix.interface import Fixer
from mamori.gate.policy import BaselineState, GateInput, Policy
from mamori.prioritize.risk import PriorityOptions, prioritise
from mamori.scan.runner import (
    ScanPlan,
    line_reader,
    plan_from_config,
    rescan_paths,
    run_scan,
)
from mamori.serialize import to_jsonable
from mamori.store.interface import RiskAcceptance, Store
from mamori.triage.reachability import DataflowCoverage
from mamori.triage.stage import triage
from mamori.verify.poc import Exploit
from mamori.verify.tests import TestRunOptions

Progress = Callable[[str, str], None]  # (stage, message)


def _noop(stage: str, message: str) -> None:
    return None


@dataclass(frozen=True, kw_only=True)
class PipelineOptions:
    actor: str
    policy_file: Path | None = None
    engines: tuple[str, ...] | None = None
    sarif_imports: tuple[Path, ...] = ()
    advisory_db: Path | None = None
    # Development only: run the project's tests without the sandbox; nothing verified this way
    # can be auto-accepted, and the run records it in the ledger.
    unsafe_no_sandbox: bool = False
    # Proof-of-concept exploits for dataflow findings (in the sandbox; off without it).
    exploits: bool = True


@dataclass(frozen=True, kw_only=True)
class PatchOutcome:
    patch: Patch
    verification: Verification
    outcome: GateOutcome
    rule: str
    reasons: tuple[str, ...]
    commit: str | None = None
    delivery_error: str | None = None


@dataclass(frozen=True, kw_only=True)
class RunSummary:
    run_id: RunId
    repo: str
    head_commit: str
    branch: str | None
    findings: tuple[Finding, ...]  # detected in this run, any status, highest risk first
    fixed: tuple[Finding, ...]
    not_analysed: tuple[NotAnalysed, ...]
    patches: tuple[PatchOutcome, ...]
    unfixable: tuple[tuple[FindingId, str], ...]
    skipped: tuple[tuple[FindingId, str], ...]  # open findings not re-fixed, and why
    baseline_tests: TestSummary | None
    branch_tests: TestSummary | None
    notes: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> ExitCode:
        if self.baseline_tests is None:
            return ExitCode.NO_TESTS
        if self.not_analysed:
            return ExitCode.INCOMPLETE
        return ExitCode.OK


def _digest(obj: Any) -> str:
    data = json.dumps(to_jsonable(obj), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _read_exact(path: Path) -> str:
    """A file's text with its line endings as stored (patches must apply to the real bytes)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


_STATE_AFTER_GATE = {
    GateOutcome.AUTO_ACCEPT: PatchState.ACCEPTED,
    GateOutcome.REVIEW: PatchState.IN_REVIEW,
    GateOutcome.REJECT: PatchState.REJECTED,
}


def _baseline_state(summary: TestSummary | None) -> BaselineState:
    if summary is None:
        return "absent"
    return "passing" if summary.ok else "failing"


def tests_payload(summary: TestSummary | None) -> dict[str, Any]:
    if summary is None:
        return {"ran": False}
    return {
        "ran": True,
        "exit_code": summary.exit_code,
        "passed": summary.passed,
        "failed": summary.failed,
        "errors": summary.errors,
        "skipped": summary.skipped,
        "detail": summary.detail,
    }


def commit_message(finding: Finding, outcome: PatchOutcome, run_id: RunId, via: str) -> str:
    patch = outcome.patch
    where = f"{finding.location.path}:{finding.location.start_line}"
    scope = f" in {finding.scope}" if finding.scope else ""
    rules = ", ".join(sorted({s.rule_id for s in finding.sources}))
    evidence = "; ".join(f"{c.name} {c.status}" for c in outcome.verification.checks)
    lines = [
        f"fix(CWE-{finding.cwe}): {patch.description.splitlines()[0][:60]}",
        "",
        f"Finding: {finding.id} {finding.message}",
        f"  at {where}{scope} (rules: {rules}; fingerprint {finding.fingerprint})",
        f"Fixer: {patch.fixer_id} ({patch.strategy}, risk {patch.risk}: {patch.risk_reason})",
        f"Evidence: {evidence}",
    ]
    tb, ta = outcome.verification.tests_before, outcome.verification.tests_after
    if tb is not None and ta is not None:
        lines.append(
            f"Tests: {tb.passed} passed / {tb.failed + tb.errors} failing before, "
            f"{ta.passed} passed / {ta.failed + ta.errors} failing after"
        )
    lines += [
        f"Decision: {outcome.outcome} by {via}",
        "",
        f"Mamori-Run: {run_id}",
        f"Mamori-Patch: {patch.id}",
        f"Mamori-Finding: {finding.id}",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, kw_only=True)
class FixSelection:
    """Which findings go to the fixers, and why the others do not."""

    candidates: tuple[Finding, ...]
    skipped: tuple[tuple[FindingId, str], ...]  # open or in-progress findings not fixed, and why
    held: tuple[FindingId, ...] = ()  # pattern-only findings held for review (also in skipped)


def held_for_review(reason: str) -> str:
    """The skip reason of a pattern-only finding that ``[fix] pattern_only`` holds for review."""
    return (
        f"held for review: pattern match only, {reason}; no automatic patch "
        '([fix] pattern_only = "fix" proposes a hardening patch)'
    )


def select_fix_candidates(
    findings: Sequence[Finding],
    *,
    unreached: Mapping[FindingId, str],
    pattern_only: PatternOnlyMode,
    accepted: Mapping[FindingId, RiskAcceptance] | None = None,
    live_patch: Callable[[FindingId], str | None] = lambda fid: None,
) -> FixSelection:
    """Open findings without an accepted risk or a live patch; under ``pattern_only="review"``
    also without a triage mark in ``unreached`` (a pattern-only finding the dataflow engine
    found no path to). ``live_patch(id)`` describes a live patch of the finding, or None."""
    accepted = accepted or {}
    candidates: list[Finding] = []
    skipped: list[tuple[FindingId, str]] = []
    held: list[FindingId] = []
    for f in findings:
        if f.status is not FindingStatus.OPEN:
            if f.status in (FindingStatus.IN_REVIEW, FindingStatus.FIX_DELIVERED):
                skipped.append((f.id, f"already {f.status}"))
            continue
        if (a := accepted.get(f.id)) is not None:
            skipped.append((f.id, f"risk accepted by {a.owner} until {a.expires}: {a.reason}"))
            continue
        if (live := live_patch(f.id)) is not None:
            skipped.append((f.id, live))
            continue
        if pattern_only == "review" and (reason := unreached.get(f.id)) is not None:
            skipped.append((f.id, held_for_review(reason)))
            held.append(f.id)
            continue
        candidates.append(f)
    return FixSelection(candidates=tuple(candidates), skipped=tuple(skipped), held=tuple(held))


class Pipeline:
    """One run of the whole pipeline on a git repository."""

    def __init__(
        self,
        *,
        root: Path,
        config: Config,
        store: Store,
        scan_plan: ScanPlan,
        fixers: Sequence[Fixer],
        policy: Policy,
        options: PipelineOptions,
        progress: Progress = _noop,
    ) -> None:
        self.root = root
        self.config = config
        self.store = store
        self.scan_plan = scan_plan
        self.fixers = tuple(fixers)
        self.policy = policy
        self.options = options
        self.progress = progress
        # Exploits confirmed in this run, by finding fingerprint.
        self._exploits: dict[Fingerprint, Exploit] = {}

    @classmethod
    def from_config(
        cls,
        *,
        root: Path,
        config: Config,
        store: Store,
        options: PipelineOptions,
        progress: Progress = _noop,
    ) -> Pipeline:
        from mamori.fix.stage import builtin_fixers

        policy_file = options.policy_file or config.policy_file
        policy = Policy.load(policy_file) if policy_file else Policy.default_policy()
        return cls(
            root=root,
            config=config,
            store=store,
            scan_plan=plan_from_config(
                root,
                config,
                engines=options.engines,
                sarif_imports=options.sarif_imports,
                advisory_db=options.advisory_db,
            ),
            fixers=builtin_fixers(),
            policy=policy,
            options=options,
            progress=progress,
        )

    def _test_options(self) -> TestRunOptions:
        options = TestRunOptions.from_config(self.config)
        if self.options.unsafe_no_sandbox:
            return replace(options, unsafe_no_sandbox=True)
        return options

    # ------------------------------------------------------------------------------------------
    def run(self) -> RunSummary:
        from mamori.gitutil import ensure_excluded, head_commit, temporary_worktree

        store, actor, repo = self.store, self.options.actor, str(self.root)
        head = head_commit(self.root)
        ensure_excluded(self.root, ".mamori/")
        run = store.begin_run(
            repo=repo,
            actor=actor,
            head_commit=head,
            options={
                "engines": self.scan_plan.engine_ids,
                "policy": self.policy.source,
            },
        )
        store.record(
            "run.started",
            actor=actor,
            run_id=run.id,
            subject=run.id,
            payload={
                "repo": repo,
                "head_commit": head,
                "mamori_version": __version__,
                "config_sha256": self.config.source_hash,
                "policy": self.policy.source,
                "policy_sha256": self.policy.digest,
                "engines": self.scan_plan.engine_ids,
                "fixers": [f.info.id for f in self.fixers],
            },
        )
        try:
            with temporary_worktree(self.root, head) as tree:
                summary = self._run_in(tree, run.id, head)
        except BaseException as e:
            store.finish_run(run.id, status="failed", summary={"error": str(e)})
            store.record(
                "run.failed", actor=actor, run_id=run.id, subject=run.id, payload={"error": str(e)}
            )
            raise
        store.finish_run(run.id, status="completed", summary=summary.counts)
        store.record(
            "run.completed", actor=actor, run_id=run.id, subject=run.id, payload=summary.counts
        )
        from mamori.ledger.service import Ledger

        # A signed tree head per run: later rewrites of this run's history become detectable.
        Ledger.for_root(store, self.root).checkpoint()
        return summary

    def _run_in(self, tree: Path, run_id: RunId, head: str) -> RunSummary:
        store, actor, repo = self.store, self.options.actor, str(self.root)

        # --- scan ---------------------------------------------------------------------------
        self.progress("scan", "scanning")
        plan = replace(self.scan_plan, root=tree)
        # AI stages run only when [ai] has a usable backend (mamori.ai.stages).
        from mamori.ai.stages import open_gateway, review_scanner, usage_notes

        gateway, ai_note = open_gateway(self.config, store, run_id)
        if gateway is not None and gateway.settings.tasks.review:
            reviewer = review_scanner(gateway, store, self.root, head)
            plan = replace(plan, extra=(*plan.extra, reviewer))
        report, target = run_scan(plan, progress=lambda m: self.progress("scan", m))
        with store.transaction():
            store.save_not_analysed(run_id, report.not_analysed)
            store.record(
                "scan.completed",
                actor=",".join(report.engines),
                run_id=run_id,
                payload={
                    "engines": list(report.engines),
                    "files": report.files_scanned,
                    "findings": len(report.findings),
                    "findings_sha256": _digest(report.findings),
                    "not_analysed": [
                        {"path": n.path, "engine": n.engine, "reason": n.reason}
                        for n in report.not_analysed
                    ],
                },
            )

        # --- triage -------------------------------------------------------------------------
        self.progress("triage", "de-duplicating and comparing with earlier runs")
        previous = store.findings(repo)
        failed_files = {(n.path, n.engine) for n in report.not_analysed}
        failed_engines = {n.engine for n in report.not_analysed if n.path == ""}

        def was_analysed(f: Finding) -> bool:
            for engine in f.engines:
                if engine not in report.engines or engine in failed_engines:
                    return False
                if (f.location.path, engine) in failed_files:
                    return False
                if (f.location.path, None) in failed_files:
                    return False
            return True

        triaged = triage(
            repo=repo,
            run_id=run_id,
            raws=report.findings,
            sources=target.sources,
            read_line=line_reader(tree, target),
            previous=previous,
            was_analysed=was_analysed,
            dataflow=DataflowCoverage.from_scan(report, target.sources),
        )
        unreached = dict(triaged.unreached)

        # --- proof of concept: exploits that work raise the priority -------------------------
        self._exploits = self._confirm_exploits(run_id, tree, triaged.findings)

        # --- prioritise ---------------------------------------------------------------------
        findings = prioritise(
            triaged.findings,
            self.config.asset_for,
            replace(
                PriorityOptions.from_store(self.config, store, repo),
                confirmed_exploits=frozenset(self._exploits),
            ),
        )
        fixed = tuple(triaged.fixed)
        if gateway is not None and gateway.settings.tasks.triage:
            from mamori.triage.ai_triage import ai_triage

            self.progress("triage", "asking the model for verdicts (policy decides)")
            findings = list(
                ai_triage(
                    findings,
                    gateway=gateway,
                    read=lambda p: _read_exact(tree / p),
                    previous={f.id: f for f in previous},
                ).findings
            )
        with store.transaction():
            store.save_findings(run_id, repo, [*findings, *fixed])
            counts = {d.value: 0 for d in Delta}
            for f in (*findings, *fixed):
                counts[f.delta.value] += 1
            store.record(
                "triage.completed",
                actor="mamori:triage",
                run_id=run_id,
                payload={
                    "deltas": counts,
                    "suppressed": [
                        {
                            "finding": f.id,
                            "rule": f.suppression.rule,
                            "reason": f.suppression.reason,
                        }
                        for f in findings
                        if f.suppression is not None
                    ],
                    "notes": list(triaged.notes),
                    "no_dataflow_path": [
                        {"finding": fid, "reason": reason} for fid, reason in triaged.unreached
                    ],
                    "findings_sha256": _digest(findings),
                },
            )
            store.record(
                "prioritise.completed",
                actor="mamori:prioritise",
                run_id=run_id,
                payload={
                    "scores": {f.id: f.risk_score for f in findings},
                    "ssvc": {
                        f.id: list(f.priority.ssvc_path) for f in findings if f.priority is not None
                    },
                },
            )

        # --- fix ----------------------------------------------------------------------------
        from mamori.fix.stage import propose_fixes

        selection = self._fix_candidates(findings, unreached)
        candidates, skipped = list(selection.candidates), list(selection.skipped)
        self.progress("fix", f"proposing fixes for {len(candidates)} findings")
        from mamori.gitutil import git

        fix_outcome = propose_fixes(
            candidates,
            read=lambda p: _read_exact(tree / p),
            fixers=self.fixers,
            requested_by=actor,
            # Fixers that change or check other modules (callers, importers) need the list.
            files=tuple(git(["ls-files", "-z"], cwd=tree).stdout.split("\0")[:-1]),
        )
        if gateway is not None and gateway.settings.tasks.patch:
            from mamori.ai.stages import add_ai_patches

            self.progress("fix", "asking the model for patches no deterministic fixer made")
            fix_outcome = add_ai_patches(
                gateway,
                findings,
                fix_outcome,
                read=lambda p: _read_exact(tree / p),
                requested_by=actor,
            )
        patches = [p for p in fix_outcome.patches if not self._already_decided(p, skipped)]
        with store.transaction():
            for patch in patches:
                self._propose(run_id, patch, base_commit=head)
            for fid, reason in fix_outcome.unfixable:
                store.record(
                    "fix.unavailable",
                    actor="mamori:fix",
                    run_id=run_id,
                    subject=fid,
                    payload={"reason": reason},
                )
            for fid in selection.held:
                store.record(
                    "fix.held_for_review",
                    actor="mamori:fix",
                    run_id=run_id,
                    subject=fid,
                    payload={
                        "reason": unreached[fid],
                        "setting": f'[fix] pattern_only = "{self.config.fix_pattern_only}"',
                    },
                )

        # --- verify -------------------------------------------------------------------------
        from mamori.verify.checks import run_baseline

        if self.options.unsafe_no_sandbox:
            store.record(
                "sandbox.disabled",
                actor=actor,
                run_id=run_id,
                subject=head,
                payload={"reason": "--unsafe-no-sandbox: results are not approvable"},
            )
        else:
            from mamori.verify.sandbox import ensure_sandbox

            sandbox = ensure_sandbox()  # refuses (SandboxUnavailableError) when it does not hold
            store.record(
                "sandbox.self_test",
                actor="mamori:verify",
                run_id=run_id,
                subject=head,
                payload={
                    "kind": sandbox.kind,
                    "sha256": sandbox.digest,
                    "checks": dict(sandbox.checks),
                },
            )
        self.progress("verify", "running the project's tests before any patch")
        baseline = run_baseline(self.root, head, self._test_options())
        store.record(
            "tests.baseline",
            actor="mamori:verify",
            run_id=run_id,
            subject=head,
            payload=tests_payload(baseline),
        )
        by_id = {f.id: f for f in findings}
        verified: list[tuple[Patch, Verification]] = []
        for i, patch in enumerate(patches, 1):
            self.progress("verify", f"verifying patch {i}/{len(patches)} ({patch.fixer_id})")
            finding = by_id[patch.finding_id]
            verified.append((patch, self._verify(run_id, patch, finding, head, baseline)))

        # --- gate ---------------------------------------------------------------------------
        self.progress("gate", "applying the policy")
        outcomes = [
            self._gate(run_id, patch, by_id[patch.finding_id], verification, baseline)
            for patch, verification in verified
        ]

        # --- deliver ------------------------------------------------------------------------
        branch: str | None = None
        branch_tests: TestSummary | None = None
        accepted = [o for o in outcomes if o.outcome is GateOutcome.AUTO_ACCEPT]
        if accepted:
            from mamori.deliver.git import branch_tip_tests

            branch = f"mamori/{run_id}"
            self.progress("deliver", f"committing {len(accepted)} accepted patches to {branch}")
            delivered = self._deliver(
                run_id, branch, head, [(by_id[o.patch.finding_id], o) for o in accepted]
            )
            for o in list(delivered.values()):
                if o.delivery_error is not None:
                    delivered.update(self._rebase(run_id, branch, by_id[o.patch.finding_id], o))
            outcomes = [delivered.get(o.patch.id, o) for o in outcomes]
            outcomes += [
                o for pid, o in delivered.items() if pid not in {x.patch.id for x in outcomes}
            ]
            self.progress("deliver", f"running the tests on {branch}")
            branch_tests = branch_tip_tests(self.root, branch, self._test_options())
            store.record(
                "tests.branch",
                actor="mamori:deliver",
                run_id=run_id,
                subject=branch,
                payload=tests_payload(branch_tests),
            )

        counts = self._counts(findings, fixed, outcomes, report.not_analysed)
        final = [store.get_finding(f.id) for f in findings]
        return RunSummary(
            run_id=run_id,
            repo=repo,
            head_commit=head,
            branch=branch,
            findings=tuple(sorted(final, key=lambda f: -f.risk_score)),
            fixed=fixed,
            not_analysed=report.not_analysed,
            patches=tuple(outcomes),
            unfixable=fix_outcome.unfixable,
            skipped=tuple(skipped),
            baseline_tests=baseline,
            branch_tests=branch_tests,
            notes=(*triaged.notes, *([ai_note] if ai_note else []), *usage_notes(gateway)),
            counts=counts,
        )

    def _propose(self, run_id: RunId, patch: Patch, **extra: str) -> None:
        """Store a new patch and record it (with the hash of its diff) in the ledger."""
        with self.store.transaction():
            self.store.save_patch(run_id, patch, PatchState.PROPOSED)
            self.store.record(
                "patch.proposed",
                actor=patch.fixer_id,
                run_id=run_id,
                subject=patch.id,
                payload={
                    "finding": patch.finding_id,
                    "fixer": patch.fixer_id,
                    "strategy": patch.strategy,
                    "risk": patch.risk,
                    "diff_sha256": hashlib.sha256(patch.diff.encode()).hexdigest(),
                    "files": list(patch.files),
                    **extra,
                },
            )

    def _rescan(self, root: Path, paths: Sequence[str]) -> ScanReport:
        return rescan_paths(
            root, paths, options=self.scan_plan.options, scanners=self.scan_plan.scanners
        )

    def _verify(
        self,
        run_id: RunId,
        patch: Patch,
        finding: Finding,
        base_commit: str,
        baseline: TestSummary | None,
    ) -> Verification:
        """Run the four checks on ``patch`` against ``base_commit``; store and record them."""
        from mamori.verify.checks import VerifyOptions, verify_patch

        verification = verify_patch(
            patch=patch,
            finding=finding,
            root=self.root,
            base_commit=base_commit,
            baseline_tests=baseline,
            rescan=self._rescan,
            options=VerifyOptions(tests=self._test_options()),
        )
        verification = self._exploit(run_id, patch, finding, base_commit, verification)
        with self.store.transaction():
            self.store.save_verification(verification)
            self.store.record(
                "patch.verified",
                actor="mamori:verify",
                run_id=run_id,
                subject=patch.id,
                payload={
                    "status": verification.status,
                    "base_commit": base_commit,
                    "checks": [
                        {"name": c.name, "status": c.status, "detail": c.detail}
                        for c in verification.checks
                    ],
                    "environment": verification.environment,
                    "tests_after": tests_payload(verification.tests_after),
                },
            )
        return verification

    def _confirm_exploits(
        self, run_id: RunId, tree: Path, findings: Sequence[Finding]
    ) -> dict[Fingerprint, Exploit]:
        """Run a proof-of-concept exploit (in the sandbox) for each open dataflow finding it
        applies to; store the ones that work and record them in the ledger."""
        from mamori.verify.poc import CWES, confirm, store_exploit

        if self.options.unsafe_no_sandbox or not self.options.exploits:
            return {}
        eligible = [
            f for f in findings if f.cwe in CWES and f.flow and f.status is FindingStatus.OPEN
        ]
        confirmed: dict[Fingerprint, Exploit] = {}
        if not eligible:
            return confirmed
        self.progress("exploit", f"running {len(eligible)} proof-of-concept exploit(s)")
        from concurrent.futures import ThreadPoolExecutor

        # Each exploit runs in its own sandbox; they are independent, so run a few at once.
        with ThreadPoolExecutor(max_workers=4) as pool:
            checks = list(pool.map(lambda f: confirm(f, tree), eligible))
        for f, check in zip(eligible, checks, strict=True):
            if check is None or not check.confirmed:
                continue
            store_exploit(self.root / ".mamori", check.exploit)
            self.store.record(
                "exploit.confirmed",
                actor="mamori:verify",
                run_id=run_id,
                subject=f.id,
                payload={
                    "sha256": check.exploit.sha256,
                    "cwe": f.cwe,
                    "fingerprint": f.fingerprint,
                    "evidence": list(check.before.evidence),
                    "sandbox": check.before.sandbox,
                },
            )
            confirmed[f.fingerprint] = check.exploit
        return confirmed

    def _exploit(
        self,
        run_id: RunId,
        patch: Patch,
        finding: Finding,
        base_commit: str,
        verification: Verification,
    ) -> Verification:
        """A confirmed finding's patch passes FINDING_GONE only when its exploit fails after
        the patch (run in the sandbox); recorded in the ledger either way."""
        from mamori.verify.poc import PatchExploitCheck, apply_to_verification, run_after_patch

        exploit = self._exploits.get(finding.fingerprint)
        if exploit is None:
            return verification
        after = run_after_patch(exploit, patch=patch, root=self.root, base_commit=base_commit)
        kind = {"works": "exploit.still_works", "fails": "exploit.failed_after_patch"}.get(
            after.outcome, "exploit.error_after_patch"
        )
        self.store.record(
            kind,
            actor="mamori:verify",
            run_id=run_id,
            subject=finding.id,
            payload={
                "sha256": exploit.sha256,
                "patch": patch.id,
                "detail": after.detail[:500],
                "evidence": list(after.evidence),
                "sandbox": after.sandbox,
            },
        )
        # "before" is known to work: the exploit was confirmed on this run's head.
        from mamori.verify.poc import ExploitOutcome, ExploitResult

        before = ExploitResult(outcome=ExploitOutcome.WORKS, detail="confirmed on the head")
        check = PatchExploitCheck(exploit=exploit, before=before, after=after)
        return apply_to_verification(verification, check)

    def _gate(
        self,
        run_id: RunId,
        patch: Patch,
        finding: Finding,
        verification: Verification,
        baseline: TestSummary | None,
    ) -> PatchOutcome:
        """Let the policy decide; store and record the decision."""
        decision = self.policy.decide(
            GateInput(
                patch=patch,
                finding=finding,
                verification=verification,
                asset=self.config.asset_for(finding.location.path),
                baseline=_baseline_state(baseline),
            )
        )
        with self.store.transaction():
            self.store.save_decision(decision)
            self.store.set_patch_state(patch.id, _STATE_AFTER_GATE[decision.outcome])
            if decision.outcome is GateOutcome.REVIEW:
                self.store.set_finding_status(finding.id, FindingStatus.IN_REVIEW)
            self.store.record(
                "gate.decided",
                actor="mamori:gate",
                run_id=run_id,
                subject=patch.id,
                payload={
                    "outcome": decision.outcome,
                    "rule": decision.rule,
                    "reasons": list(decision.reasons),
                    "policy_sha256": self.policy.digest,
                },
            )
        return PatchOutcome(
            patch=patch,
            verification=verification,
            outcome=decision.outcome,
            rule=decision.rule,
            reasons=decision.reasons,
        )

    def _deliver(
        self,
        run_id: RunId,
        branch: str,
        base_commit: str,
        items: Sequence[tuple[Finding, PatchOutcome]],
    ) -> dict[PatchId, PatchOutcome]:
        return deliver(
            store=self.store,
            root=self.root,
            run_id=run_id,
            branch=branch,
            base_commit=base_commit,
            items=items,
            actor="mamori:deliver",
            via_of=lambda o: f"rule {o.rule}",
        )

    def _rebase(
        self, run_id: RunId, branch: str, finding: Finding, failed: PatchOutcome
    ) -> dict[PatchId, PatchOutcome]:
        """Fix ``finding`` again on the branch tip after its patch did not apply there.

        Earlier commits of the run changed the same file, so the original diff no longer fits.
        The finding is located again by its fingerprint on the tip, the same fixer makes a new
        patch, and that patch goes through the four checks and the gate like any other: it is
        committed only if the policy auto-accepts it.
        """
        from mamori.fix.stage import propose_fixes
        from mamori.gitutil import rev_parse, temporary_worktree
        from mamori.verify.checks import run_baseline

        store, old = self.store, failed.patch
        tip = rev_parse(self.root, branch)
        fixer = [f for f in self.fixers if f.info.id == old.fixer_id]

        def give_up(reason: str) -> dict[PatchId, PatchOutcome]:
            store.record(
                "patch.rebase_failed",
                actor="mamori:deliver",
                run_id=run_id,
                subject=old.id,
                payload={"branch": branch, "tip": tip, "reason": reason},
            )
            return {old.id: replace(failed, delivery_error=f"{failed.delivery_error}; {reason}")}

        self.progress("deliver", f"re-fixing {finding.id} on the tip of {branch}")
        with temporary_worktree(self.root, tip) as tree:
            report = self._rescan(tree, [finding.location.path])
            match = next((r for r in report.findings if r.fingerprint == finding.fingerprint), None)
            if match is None:
                return give_up("the finding is not detected on the branch tip any more")
            moved = replace(
                finding, location=match.location, snippet=match.snippet, scope=match.scope
            )
            fix = propose_fixes(
                [moved],
                read=lambda p: _read_exact(tree / p),
                fixers=fixer,
                requested_by=old.requested_by,
            )
        if not fix.patches:
            reason = fix.unfixable[0][1] if fix.unfixable else "the fixer made no patch"
            return give_up(f"re-fixing on the branch tip failed: {reason}")
        patch = fix.patches[0]
        self._propose(run_id, patch, base_commit=tip, rebased_from=old.id)
        tip_tests = run_baseline(self.root, tip, self._test_options())
        verification = self._verify(run_id, patch, moved, tip, tip_tests)
        outcome = self._gate(run_id, patch, moved, verification, tip_tests)
        note = f"{failed.delivery_error}; re-fixed on the branch tip as {patch.id}"
        result = {old.id: replace(failed, delivery_error=note), patch.id: outcome}
        if outcome.outcome is GateOutcome.AUTO_ACCEPT:
            result.update(self._deliver(run_id, branch, tip, [(moved, outcome)]))
        return result

    def _fix_candidates(
        self, findings: Sequence[Finding], unreached: Mapping[FindingId, str]
    ) -> FixSelection:
        """Open findings without a live patch or an accepted risk, and not held for review by
        ``[fix] pattern_only``; the others with the reason they are skipped. Acceptances past
        their expiry end first, so their findings reopen."""
        from datetime import UTC, datetime

        from mamori.prioritize.queue import active_acceptances, reopen_expired

        now = datetime.now(UTC)
        reopen_expired(self.store, now)

        def live_patch(fid: FindingId) -> str | None:
            live = [
                p
                for p in self.store.patches(finding_id=fid)
                if p.state in (PatchState.IN_REVIEW, PatchState.ACCEPTED, PatchState.DELIVERED)
            ]
            return f"patch {live[0].patch.id} is {live[0].state}" if live else None

        return select_fix_candidates(
            findings,
            unreached=unreached,
            pattern_only=self.config.fix_pattern_only,
            accepted=active_acceptances(self.store, str(self.root), now),
            live_patch=live_patch,
        )

    def _already_decided(self, patch: Patch, skipped: list[tuple[FindingId, str]]) -> bool:
        """A patch identical to one a person rejected is not proposed again."""
        try:
            old = self.store.get_patch(patch.id)
        except NotFoundError:
            return False
        if old.state is PatchState.REJECTED:
            reason = next((r.reason for r in old.reviews if r.reason), "rejected earlier")
            skipped.append((patch.finding_id, f"identical patch {patch.id} was rejected: {reason}"))
            return True
        return False

    @staticmethod
    def _counts(
        findings: Sequence[Finding],
        fixed: Sequence[Finding],
        outcomes: Sequence[PatchOutcome],
        not_analysed: Sequence[NotAnalysed],
    ) -> dict[str, int]:
        counts: dict[str, int] = {
            "findings": len(findings),
            "new": sum(f.delta is Delta.NEW for f in findings),
            "still_open": sum(f.delta is Delta.STILL_OPEN for f in findings),
            "reopened": sum(f.delta is Delta.REOPENED for f in findings),
            "fixed": len(fixed),
            "suppressed": sum(f.status is FindingStatus.SUPPRESSED for f in findings),
            "false_positive": sum(f.status is FindingStatus.FALSE_POSITIVE for f in findings),
            "patches": len(outcomes),
            "verified": sum(o.verification.all_passed for o in outcomes),
            "auto_accepted": sum(o.outcome is GateOutcome.AUTO_ACCEPT for o in outcomes),
            "delivered": sum(o.commit is not None for o in outcomes),
            "in_review": sum(o.outcome is GateOutcome.REVIEW for o in outcomes),
            "rejected": sum(o.outcome is GateOutcome.REJECT for o in outcomes),
            "not_analysed": len(not_analysed),
        }
        return counts


def deliver(
    *,
    store: Store,
    root: Path,
    run_id: RunId,
    branch: str,
    base_commit: str,
    items: Sequence[tuple[Finding, PatchOutcome]],
    actor: str,
    via_of: Callable[[PatchOutcome], str],
) -> dict[PatchId, PatchOutcome]:
    """Commit accepted patches on ``branch``; update the store and the ledger for each."""
    from mamori.deliver.git import Delivered, DeliveryItem, deliver_patches
    from mamori.domain import Delivery

    results = deliver_patches(
        root,
        branch=branch,
        base_commit=base_commit,
        items=[
            DeliveryItem(patch=o.patch, message=commit_message(f, o, run_id, via_of(o)))
            for f, o in items
        ],
    )
    store.set_run_branch(run_id, branch)
    out: dict[PatchId, PatchOutcome] = {}
    by_patch = {o.patch.id: (f, o) for f, o in items}
    for result in results:
        finding, outcome = by_patch[result.patch_id]
        with store.transaction():
            if isinstance(result, Delivered):
                store.save_delivery(
                    Delivery(patch_id=result.patch_id, branch=branch, commit=result.commit)
                )
                store.set_patch_state(result.patch_id, PatchState.DELIVERED)
                store.set_finding_status(finding.id, FindingStatus.FIX_DELIVERED)
                delivered = store.record(
                    "patch.delivered",
                    actor=actor,
                    run_id=run_id,
                    subject=result.patch_id,
                    payload={
                        "branch": branch,
                        "commit": result.commit,
                        "finding": finding.id,
                        "already_present": result.already_present,
                    },
                )
                out[result.patch_id] = replace(outcome, commit=result.commit)
            else:
                store.set_patch_state(result.patch_id, PatchState.DELIVERY_FAILED)
                store.record(
                    "patch.delivery_failed",
                    actor=actor,
                    run_id=run_id,
                    subject=result.patch_id,
                    payload={"branch": branch, "reason": result.reason},
                )
                out[result.patch_id] = replace(outcome, delivery_error=result.reason)
        if isinstance(result, Delivered):
            from mamori.ledger.attest import attest_delivery

            # After the delivery commits, so that the checkpoint it embeds covers the event.
            attest_delivery(store, root, patch_id=result.patch_id, delivered_seq=delivered.seq)
    return out
