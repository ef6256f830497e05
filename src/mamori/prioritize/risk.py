"""Prioritisation: CVSS vectors, KEV/EPSS exploitation evidence, the SSVC decision and the SLA.

Each finding gets a :class:`~mamori.domain.Priority` (every input recorded) and a 0-10 risk
score from severity, confidence and the asset's criticality and exposure, which orders findings
within one SSVC decision. Every factor is recorded as a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mamori.config import PrioritySettings
from mamori.domain import (
    AssetContext,
    Confidence,
    Criticality,
    Exploitation,
    Exposure,
    Finding,
    Fingerprint,
    Priority,
    Severity,
)
from mamori.prioritize import cvss, ssvc
from mamori.prioritize.feeds import EPSS_FILE, FEEDS_DIR, KEV_FILE, Feeds, load

if TYPE_CHECKING:
    from mamori.config import Config
    from mamori.store.interface import Store

SEVERITY_BASE = {
    Severity.INFO: 1.0,
    Severity.LOW: 3.0,
    Severity.MEDIUM: 5.5,
    Severity.HIGH: 7.5,
    Severity.CRITICAL: 9.0,
}
CONFIDENCE_FACTOR = {Confidence.LOW: 0.7, Confidence.MEDIUM: 0.85, Confidence.HIGH: 1.0}
CRITICALITY_FACTOR = {
    Criticality.LOW: 0.7,
    Criticality.MEDIUM: 0.85,
    Criticality.HIGH: 1.0,
    Criticality.CRITICAL: 1.15,
}
EXPOSURE_FACTOR = {
    Exposure.INTERNET_FACING: 1.15,
    Exposure.INTERNAL: 1.0,
    Exposure.ISOLATED: 0.8,
}


def score(finding: Finding, asset: AssetContext) -> tuple[float, tuple[str, ...]]:
    base = SEVERITY_BASE[finding.severity]
    value = (
        base
        * CONFIDENCE_FACTOR[finding.confidence]
        * CRITICALITY_FACTOR[asset.criticality]
        * EXPOSURE_FACTOR[asset.exposure]
    )
    value = round(min(10.0, max(0.0, value)), 1)
    reasons = (
        f"severity {finding.severity.value} (base {base})",
        f"confidence {finding.confidence.value} (x{CONFIDENCE_FACTOR[finding.confidence]})",
        f"asset criticality {asset.criticality.value} (x{CRITICALITY_FACTOR[asset.criticality]})",
        f"exposure {asset.exposure.value} (x{EXPOSURE_FACTOR[asset.exposure]})",
    )
    return value, reasons


@dataclass(frozen=True, kw_only=True)
class PriorityOptions:
    """Everything besides the asset that prioritising needs."""

    settings: PrioritySettings = field(default_factory=PrioritySettings)
    feeds: Feeds = field(default_factory=Feeds)
    # Findings (by fingerprint) for which Mamori itself demonstrated an exploit.
    confirmed_exploits: Collection[Fingerprint] = frozenset()
    # CVSS vectors set by triage, by fingerprint: (v3, v4), either may be None.
    cvss_triage: Mapping[Fingerprint, tuple[str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        cvss_triage: Mapping[Fingerprint, tuple[str | None, str | None]] | None = None,
        confirmed_exploits: Collection[Fingerprint] = frozenset(),
    ) -> PriorityOptions:
        """Settings from ``mamori.toml`` and the feeds it names (else ``.mamori/feeds``)."""
        settings = config.priority
        feeds_dir = config.root / FEEDS_DIR
        feeds = load(
            kev=settings.kev_feed or feeds_dir / KEV_FILE,
            epss=settings.epss_feed or feeds_dir / EPSS_FILE,
        )
        return cls(
            settings=settings,
            feeds=feeds,
            cvss_triage=dict(cvss_triage or {}),
            confirmed_exploits=frozenset(confirmed_exploits),
        )

    @classmethod
    def from_store(cls, config: Config, store: Store, repo: str) -> PriorityOptions:
        """:meth:`from_config` plus what triage and earlier runs recorded in the store:
        CVSS vectors set by triage, and exploits Mamori confirmed (``exploit.confirmed``)."""
        runs = {r.id for r in store.list_runs(repo)}
        confirmed = {
            Fingerprint(str(e.payload["fingerprint"]))
            for e in store.events()
            if e.kind == "exploit.confirmed" and e.run_id in runs and "fingerprint" in e.payload
        }
        return cls.from_config(
            config, cvss_triage=store.cvss_overrides(repo), confirmed_exploits=confirmed
        )


def cves_of(finding: Finding) -> tuple[str, ...]:
    """The CVE ids a finding refers to (dependency advisories and their aliases)."""
    dep = finding.dependency
    if dep is None:
        return ()
    ids = (dep.advisory_id, *dep.aliases)
    return tuple(sorted({i.upper() for i in ids if i.upper().startswith("CVE-")}))


def assess(finding: Finding, asset: AssetContext, options: PriorityOptions) -> Priority:
    """The finding's CVSS, exploitation evidence, SSVC decision (with its path) and SLA."""
    settings = options.settings
    scores = cvss.vectors_for(
        finding,
        rules=settings.cvss_rules,
        cwes=settings.cvss_cwe,
        triage=options.cvss_triage.get(finding.fingerprint),
    )
    cves = cves_of(finding)
    kev = any(c in options.feeds.kev for c in cves)
    epss = [options.feeds.epss[c] for c in cves if c in options.feeds.epss]
    best = max(epss, key=lambda e: e.probability) if epss else None
    if kev:
        exploitation = Exploitation.ACTIVE
    elif finding.fingerprint in options.confirmed_exploits or (
        best is not None and best.probability >= settings.epss_poc_threshold
    ):
        exploitation = Exploitation.PUBLIC_POC
    else:
        exploitation = Exploitation.NONE
    automatable = cvss.is_automatable(scores.v3_vector)
    result = ssvc.decide(
        exploitation=exploitation,
        asset=asset,
        automatable=automatable,
        wellbeing_levels=settings.wellbeing,
    )
    return Priority(
        cvss_v3_vector=scores.v3_vector,
        cvss_v3_score=scores.v3_score,
        cvss_v4_vector=scores.v4_vector,
        cvss_v4_score=scores.v4_score,
        cvss_source=scores.source,
        cves=cves,
        kev=kev,
        epss=None if best is None else best.probability,
        epss_percentile=None if best is None else best.percentile,
        exploitation=exploitation,
        automatable=automatable,
        ssvc=result.decision,
        ssvc_path=result.path,
        sla_days=settings.sla_days.get(result.decision.value),
        owner=asset.owner,
    )


def prioritise(
    findings: Sequence[Finding],
    asset_for: Callable[[str], AssetContext],
    options: PriorityOptions | None = None,
) -> list[Finding]:
    """The findings with their priority and risk score set, most urgent first.

    Order: SSVC decision (Immediate first), then risk score; the due date, which depends on
    when each finding was first seen, refines the order where it is known
    (:func:`mamori.prioritize.sla.queue_order`).
    """
    options = options or PriorityOptions()
    scored = []
    for f in findings:
        asset = asset_for(f.location.path)
        value, reasons = score(f, asset)
        priority = assess(f, asset, options)
        reasons = (
            f"SSVC {priority.ssvc.value}: " + ", ".join(ssvc.decision_points(priority.ssvc_path)),
            f"CVSS 3.1 {priority.cvss_v3_score} / 4.0 {priority.cvss_v4_score} "
            f"({priority.cvss_source})",
            *reasons,
        )
        if asset.owner or asset.data_classes or asset.regulatory:
            # The inventory facts that matter to an auditor, beside the scored ones.
            reasons += (
                f"asset owner {asset.owner or '-'}; data "
                f"{', '.join(asset.data_classes) or '-'}; regulatory "
                f"{', '.join(asset.regulatory) or '-'}",
            )
        if priority.cves:
            reasons += (
                f"{', '.join(priority.cves)}: KEV {'yes' if priority.kev else 'no'}, EPSS "
                + ("unknown" if priority.epss is None else f"{priority.epss:.3f}"),
            )
        scored.append(replace(f, risk_score=value, risk_reasons=reasons, priority=priority))
    scored.sort(
        key=lambda f: (
            -(f.priority.ssvc.rank if f.priority else -1),
            -f.risk_score,
            f.location.path,
            f.location.start_line,
        )
    )
    return scored
