"""Loading the taint models (sources, sinks, sanitisers, propagators) from TOML data files.

The bundled models live in ``models/*.toml`` next to this module; users add their own files
through :attr:`TaintOptions.model_files <mamori.scan.taint.TaintOptions>`. Every table is
validated here, so that a typo in a user's model is a :class:`~mamori.errors.ConfigError` with
the file name rather than a silent no-op.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from mamori.errors import ConfigError
from mamori.scan.taint.rules import RULES

BUNDLED = ("sources.toml", "sinks.toml", "sanitisers.toml", "propagators.toml")


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceModel:
    category: str
    exclude_rules: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestParamModel:
    names: frozenset[str]
    annotations: frozenset[str]
    attrs: frozenset[str]
    category: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Unless:
    index: int
    name: str
    values: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class SinkModel:
    rule: str
    cwe: int
    args: tuple[int, ...] = ()
    kwargs: tuple[str, ...] = ()
    shell: str | None = None
    unless: Unless | None = None
    requires_fact: str | None = None
    fact_arg: int | None = None
    fact_kwarg: str | None = None
    fragment: re.Pattern[str] | None = None
    receiver: bool = False
    safe_mimetype: tuple[str, ...] = ()
    # The receiver's kind ("path"): a method sink never applies to a receiver known to be of
    # another kind (a str); with strict_receiver it applies only to one known to be that kind.
    receiver_type: str | None = None
    strict_receiver: bool = False
    # Only these keys of a dict argument are checked (headers={"Location": url}).
    dict_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SanitiserModel:
    rules: frozenset[str]
    keep_flow: bool = False  # a step on the path (normalisation), not an end of the flow


@dataclass(frozen=True, slots=True, kw_only=True)
class GuardModel:
    rules: frozenset[str]
    arg: int | None = None
    kwargs: tuple[str, ...] = ()
    receiver: bool = False
    anchored_pattern: int | None = None  # index of a regex argument that must be anchored


@dataclass(frozen=True, slots=True, kw_only=True)
class FactModel:
    fact: str
    when_true: tuple[str, ...] = ()
    when_false: tuple[str, ...] = ()
    on_receiver: bool = False
    arg0: frozenset[str] = frozenset()
    arg1_true: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Models:
    """All models, indexed by fully qualified callee name or by method name."""

    source_attrs: Mapping[str, Mapping[str, SourceModel]] = field(default_factory=dict)
    source_calls: Mapping[str, SourceModel] = field(default_factory=dict)
    # method -> ((fact, source), ...): calling it on a receiver with the fact is a source
    # (parse_args() on a Flask-RESTful RequestParser).
    source_methods: Mapping[str, tuple[tuple[str, SourceModel], ...]] = field(default_factory=dict)
    request_params: tuple[RequestParamModel, ...] = ()
    sinks_by_callee: Mapping[str, tuple[SinkModel, ...]] = field(default_factory=dict)
    sinks_by_method: Mapping[str, tuple[SinkModel, ...]] = field(default_factory=dict)
    sanitisers_by_callee: Mapping[str, SanitiserModel] = field(default_factory=dict)
    sanitisers_by_method: Mapping[str, SanitiserModel] = field(default_factory=dict)
    guards_by_callee: Mapping[str, GuardModel] = field(default_factory=dict)
    guards_by_method: Mapping[str, GuardModel] = field(default_factory=dict)
    propagators_by_callee: Mapping[str, str] = field(default_factory=dict)
    propagators_by_method: Mapping[str, str] = field(default_factory=dict)
    # method -> ((fact, effect), ...): the effect applies when the receiver carries the fact.
    fact_propagators_by_method: Mapping[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )
    facts_by_callee: Mapping[str, FactModel] = field(default_factory=dict)
    facts_by_method: Mapping[str, FactModel] = field(default_factory=dict)


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a string or a list of strings, got {value!r}")


def _ints(value: Any, where: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, int):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected an integer or a list of integers, got {value!r}")


def _rules(value: Any, where: str, *, allow_pseudo: bool = True) -> frozenset[str]:
    names = frozenset(_strs(value, where))
    pseudo = {"*", "path-normalised"} if allow_pseudo else set()
    unknown = sorted(n for n in names if n not in RULES and n not in pseudo)
    if unknown:
        raise ConfigError(f"{where}: unknown rule(s) {', '.join(unknown)}")
    return names


class _Builder:
    def __init__(self) -> None:
        self.source_attrs: dict[str, dict[str, SourceModel]] = {}
        self.source_calls: dict[str, SourceModel] = {}
        self.source_methods: dict[str, list[tuple[str, SourceModel]]] = {}
        self.request_params: list[RequestParamModel] = []
        self.sinks_by_callee: dict[str, list[SinkModel]] = {}
        self.sinks_by_method: dict[str, list[SinkModel]] = {}
        self.san_callee: dict[str, SanitiserModel] = {}
        self.san_method: dict[str, SanitiserModel] = {}
        self.guard_callee: dict[str, GuardModel] = {}
        self.guard_method: dict[str, GuardModel] = {}
        self.prop_callee: dict[str, str] = {}
        self.prop_method: dict[str, str] = {}
        self.fact_prop_method: dict[str, list[tuple[str, str]]] = {}
        self.fact_callee: dict[str, FactModel] = {}
        self.fact_method: dict[str, FactModel] = {}

    def add(self, data: Mapping[str, Any], origin: str) -> None:
        known = {"source", "request_param", "sink", "sanitiser", "guard", "propagator", "fact"}
        extra = sorted(set(data) - known)
        if extra:
            raise ConfigError(f"{origin}: unknown table(s) {', '.join(extra)}")
        for i, t in enumerate(data.get("source", [])):
            self._source(t, f"{origin}: source #{i + 1}")
        for i, t in enumerate(data.get("request_param", [])):
            where = f"{origin}: request_param #{i + 1}"
            self.request_params.append(
                RequestParamModel(
                    names=frozenset(_strs(t.get("names"), where)),
                    annotations=frozenset(_strs(t.get("annotations"), where)),
                    attrs=frozenset(_strs(t.get("attrs"), where)),
                    category=str(t.get("category", "web")),
                )
            )
        for i, t in enumerate(data.get("sink", [])):
            self._sink(t, f"{origin}: sink #{i + 1}")
        for i, t in enumerate(data.get("sanitiser", [])):
            where = f"{origin}: sanitiser #{i + 1}"
            model = SanitiserModel(
                rules=_rules(t.get("rules"), where), keep_flow=bool(t.get("keep_flow", False))
            )
            for c in _strs(t.get("callee"), where):
                self.san_callee[c] = model
            for m in _strs(t.get("method"), where):
                self.san_method[m] = model
        for i, t in enumerate(data.get("guard", [])):
            where = f"{origin}: guard #{i + 1}"
            guard = GuardModel(
                rules=_rules(t.get("rules"), where),
                arg=t.get("arg"),
                kwargs=_strs(t.get("kwargs"), where),
                receiver=bool(t.get("receiver", False)),
                anchored_pattern=t.get("anchored_pattern"),
            )
            for c in _strs(t.get("callee"), where):
                self.guard_callee[c] = guard
            for m in _strs(t.get("method"), where):
                self.guard_method[m] = guard
        for i, t in enumerate(data.get("propagator", [])):
            where = f"{origin}: propagator #{i + 1}"
            effect = t.get("effect")
            if effect not in {"args-to-receiver", "receiver", "clean", "propagate", "first-arg"}:
                raise ConfigError(f"{where}: unknown effect {effect!r}")
            requires = t.get("requires_fact")
            if requires is not None:
                if not isinstance(requires, str) or t.get("callee"):
                    raise ConfigError(f"{where}: requires_fact needs a string and methods only")
                for m in _strs(t.get("method"), where):
                    self.fact_prop_method.setdefault(m, []).append((requires, effect))
                continue
            for c in _strs(t.get("callee"), where):
                self.prop_callee[c] = effect
            for m in _strs(t.get("method"), where):
                self.prop_method[m] = effect
        for i, t in enumerate(data.get("fact", [])):
            where = f"{origin}: fact #{i + 1}"
            fact = FactModel(
                fact=str(t["fact"]),
                when_true=_strs(t.get("when_true"), where),
                when_false=_strs(t.get("when_false"), where),
                on_receiver=bool(t.get("on_receiver", False)),
                arg0=frozenset(_strs(t.get("arg0"), where)),
                arg1_true=bool(t.get("arg1_true", False)),
            )
            for c in _strs(t.get("callee"), where):
                self.fact_callee[c] = fact
            for m in _strs(t.get("method"), where):
                self.fact_method[m] = fact

    def _source(self, t: Mapping[str, Any], where: str) -> None:
        model = SourceModel(
            category=str(t.get("category", "web")),
            exclude_rules=_rules(t.get("exclude_rules"), where, allow_pseudo=False),
        )
        if "object" in t:
            attrs = self.source_attrs.setdefault(str(t["object"]), {})
            for a in _strs(t.get("attrs"), where):
                attrs[a] = model
        for c in _strs(t.get("call"), where):
            self.source_calls[c] = model
        if "method" in t:
            requires = t.get("requires_fact")
            if not isinstance(requires, str):
                raise ConfigError(f"{where}: a method source needs requires_fact (a string)")
            for m in _strs(t.get("method"), where):
                self.source_methods.setdefault(m, []).append((requires, model))
        if "object" not in t and "call" not in t and "method" not in t:
            raise ConfigError(f"{where}: needs `object` (with attrs), `call` or `method`")

    def _sink(self, t: Mapping[str, Any], where: str) -> None:
        rule = t.get("rule")
        if rule not in RULES:
            raise ConfigError(f"{where}: unknown rule {rule!r}")
        unless = None
        if "unless" in t:
            u = t["unless"]
            unless = Unless(
                index=int(u["index"]),
                name=str(u["name"]),
                values=frozenset(_strs(u.get("values"), where)),
            )
        fragment = t.get("fragment")
        model = SinkModel(
            rule=rule,
            cwe=int(t.get("cwe", RULES[rule].cwe)),
            args=_ints(t.get("args"), where),
            kwargs=_strs(t.get("kwargs"), where),
            shell=t.get("shell"),
            unless=unless,
            requires_fact=t.get("requires_fact"),
            fact_arg=t.get("fact_arg"),
            fact_kwarg=t.get("fact_kwarg"),
            fragment=re.compile(fragment) if fragment else None,
            receiver=bool(t.get("receiver", False)),
            safe_mimetype=_strs(t.get("safe_mimetype"), where),
            receiver_type=t.get("receiver_type"),
            strict_receiver=bool(t.get("strict_receiver", False)),
            dict_keys=_strs(t.get("dict_keys"), where),
        )
        for c in _strs(t.get("callee"), where):
            self.sinks_by_callee.setdefault(c, []).append(model)
        for m in _strs(t.get("method"), where):
            self.sinks_by_method.setdefault(m, []).append(model)

    def build(self) -> Models:
        return Models(
            source_attrs=self.source_attrs,
            source_calls=self.source_calls,
            source_methods={k: tuple(v) for k, v in self.source_methods.items()},
            request_params=tuple(self.request_params),
            sinks_by_callee={k: tuple(v) for k, v in self.sinks_by_callee.items()},
            sinks_by_method={k: tuple(v) for k, v in self.sinks_by_method.items()},
            sanitisers_by_callee=self.san_callee,
            sanitisers_by_method=self.san_method,
            guards_by_callee=self.guard_callee,
            guards_by_method=self.guard_method,
            propagators_by_callee=self.prop_callee,
            propagators_by_method=self.prop_method,
            fact_propagators_by_method={k: tuple(v) for k, v in self.fact_prop_method.items()},
            facts_by_callee=self.fact_callee,
            facts_by_method=self.fact_method,
        )


def _parse(text: str, origin: str) -> Mapping[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{origin}: invalid TOML: {e}") from e


def load_models(extra_files: Sequence[Path] = (), *, bundled: bool = True) -> Models:
    """Load the bundled models (unless ``bundled`` is False) and then ``extra_files``.

    Later files add to earlier ones; an entry for the same callee or method replaces it.
    """
    builder = _Builder()
    texts: list[tuple[str, str]] = []
    if bundled:
        pkg = resources.files("mamori.scan.taint") / "models"
        texts.extend(((pkg / name).read_text("utf-8"), f"models/{name}") for name in BUNDLED)
    for path in extra_files:
        try:
            texts.append((path.read_text("utf-8"), str(path)))
        except OSError as e:
            raise ConfigError(f"cannot read taint model {path}: {e}") from e
    for text, origin in texts:
        builder.add(_parse(text, origin), origin)
    return builder.build()


def merge_names(*groups: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for g in groups:
        out.update(g)
    return frozenset(out)
