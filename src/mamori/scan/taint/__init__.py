"""Mamori's own dataflow (taint) engine, engine id ``mamori``.

Public API: :class:`TaintScanner` (the engine), :class:`TaintOptions`, :func:`analyse_sources`
(the pure core over ``{path: text}``), :func:`load_models` and the rule table :data:`RULES`.
Sources, sinks, sanitisers and propagators are data in ``models/*.toml``.
"""

from __future__ import annotations

from mamori.scan.taint.models import Models, load_models
from mamori.scan.taint.options import TaintOptions
from mamori.scan.taint.rules import RULES, Rule
from mamori.scan.taint.scanner import AnalysisResult, TaintScanner, analyse_sources

__all__ = [
    "RULES",
    "AnalysisResult",
    "Models",
    "Rule",
    "TaintOptions",
    "TaintScanner",
    "analyse_sources",
    "load_models",
]
