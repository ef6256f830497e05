"""Taint values: a set of labels, each saying where the data came from and what cleaned it.

A :class:`Label` is identified by its origin and the set of rules it has been sanitised for;
the flow steps ride along but do not take part in equality, so that two paths to the same
place collapse into one label (the one kept is chosen by :func:`preference`, not by the order
they were met in). ``Taint`` is an immutable ``frozenset`` of labels: the empty set means "not
tainted".

Categories:
- ``web`` / ``local``: untrusted data (a request; environment, argv, stdin).
- ``param``: a symbolic value standing for parameter N of the function being summarised.
- ``password``: a value that is (derived from) a password, for the weak-hash rule.
- ``random`` / ``weakhash``: produced by ``random.*`` or md5/sha1, for the context rules that
  look at where such a value ends up (a token, a secret, a salt).
- ``fact``: not data at all, a property of an object (an XML parser that resolves external
  entities, an LDAP connection) that some sinks require.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mamori.domain import FlowStep, Location

UNTRUSTED = frozenset({"web", "local", "param"})
KEEP_ON_CLEAN = frozenset({"fact", "random", "weakhash"})
MAX_STEPS = 12
MAX_LABELS = 12
ALL = "*"


@dataclass(frozen=True, slots=True)
class Origin:
    category: str
    description: str
    path: str
    line: int
    param: int = -1  # parameter index for category "param"
    exclude_rules: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Label:
    origin: Origin
    cleansed: frozenset[str] = frozenset()
    steps: tuple[FlowStep, ...] = field(default=(), compare=False, hash=False)
    approximate: bool = field(default=False, compare=False, hash=False)

    def dangerous_for(self, rule: str) -> bool:
        if self.origin.category not in UNTRUSTED:
            return False
        if rule in self.origin.exclude_rules:
            return False
        return rule not in self.cleansed and ALL not in self.cleansed


Taint = frozenset[Label]
CLEAN: Taint = frozenset()


def step(path: str, line: int, message: str) -> FlowStep:
    return FlowStep(location=Location(path=path, start_line=line), message=message)


def _append(steps: tuple[FlowStep, ...], new: FlowStep) -> tuple[FlowStep, ...]:
    if steps and steps[-1] == new:
        return steps
    if len(steps) >= MAX_STEPS:
        # Keep the source end and the most recent steps: the middle of a long flow is the
        # least useful part to a reader.
        return (*steps[:2], *steps[-(MAX_STEPS - 3) :], new)
    return (*steps, new)


def preference(lb: Label) -> tuple[object, ...]:
    """Among labels that count as equal, the one kept is the smallest: a precise flow before an
    approximate one, then the shortest, then by the places of its steps. An order, not "the
    first one seen": set iteration order changes with the hash seed."""
    steps = tuple((s.location.path, s.location.start_line, s.message) for s in lb.steps)
    return (lb.approximate, len(lb.steps), steps)


def label_order(lb: Label) -> tuple[object, ...]:
    """A total order of labels (for iterating a taint in a stable order)."""
    o = lb.origin
    return (
        o.category,
        o.description,
        o.path,
        o.line,
        o.param,
        tuple(sorted(o.exclude_rules)),
        tuple(sorted(lb.cleansed)),
        *preference(lb),
    )


def canonical(labels: Iterable[Label]) -> Taint:
    """The taint of ``labels``, keeping the preferred one of labels that count as equal."""
    out: dict[Label, Label] = {}
    for lb in labels:
        old = out.get(lb)
        if old is None or (old is not lb and preference(lb) < preference(old)):
            out[lb] = lb  # the value is updated, the key stays: read the values
    return frozenset(out.values())


def union(*taints: Taint) -> Taint:
    out: set[Label] = set()
    n = 0
    first: Taint | None = None
    for t in taints:
        if not t or t is first:
            continue
        if first is None:
            first = t
        out.update(t)
        n += len(t)
    if len(out) < n:
        # Some labels count as equal (or are the same object): which one stays must not
        # depend on the order they came in.
        out = set(canonical(lb for t in taints if t for lb in t))
    if len(out) > MAX_LABELS:
        # Bound the work per value: prefer labels that are dangerous (untrusted) and short.
        ranked = sorted(
            out,
            key=lambda lb: (lb.origin.category not in UNTRUSTED, len(lb.steps), label_order(lb)),
        )
        return frozenset(ranked[:MAX_LABELS])
    return first if first is not None and len(out) == n == len(first) else frozenset(out)


def with_step(taint: Taint, new: FlowStep) -> Taint:
    return frozenset(
        Label(lb.origin, lb.cleansed, _append(lb.steps, new), lb.approximate) for lb in taint
    )


def cleanse(taint: Taint, rules: frozenset[str]) -> Taint:
    """Mark every label as sanitised for ``rules``; ``*`` removes untrusted data entirely."""
    if not taint or not rules:
        return taint
    if ALL in rules:
        # A cast or a digest ends untrusted data, but a random number stays random and an md5
        # digest stays an md5 digest (the context rules follow those).
        return frozenset(lb for lb in taint if lb.origin.category in KEEP_ON_CLEAN)
    # Two labels that differed only in what they were cleansed for now count as equal.
    return canonical(
        Label(lb.origin, lb.cleansed | rules, lb.steps, lb.approximate) for lb in taint
    )


def approximate(taint: Taint) -> Taint:
    return frozenset(Label(lb.origin, lb.cleansed, lb.steps, True) for lb in taint)


def only(taint: Taint, categories: frozenset[str]) -> Taint:
    return frozenset(lb for lb in taint if lb.origin.category in categories)


def has_fact(taint: Taint, fact: str) -> bool:
    return any(lb.origin.category == "fact" and lb.origin.description == fact for lb in taint)
