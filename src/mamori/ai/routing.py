"""Data classification per path and routing rules: which classes may go to which backend."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence

from mamori.ai.interface import DataClass, RoutingRefusedError
from mamori.ai.settings import AISettings


def _match(path: str, glob: str) -> bool:
    # "src/**" should match "src/a.py" as people expect; fnmatch's "*" already crosses "/".
    return fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path, glob.replace("/**/", "/"))


class Router:
    def __init__(self, settings: AISettings) -> None:
        self.settings = settings

    def classify(self, path: str) -> DataClass:
        """The first matching ``[[ai.classification]]`` rule, else ``default_class``."""
        for rule in self.settings.classification:
            if _match(path, rule.glob):
                return rule.class_
        return self.settings.default_class

    def classify_all(self, paths: Iterable[str]) -> DataClass:
        """The most sensitive class among ``paths``: a request is as sensitive as its worst part."""
        classes = [self.classify(p) for p in paths]
        return max(classes, key=lambda c: c.rank, default=self.settings.default_class)

    def is_never(self, path: str) -> bool:
        """True when ``[ai.routing] never`` forbids sending ``path`` anywhere."""
        return any(_match(path, glob) for glob in self.settings.routing.never)

    def backend_for(self, paths: Sequence[str]) -> tuple[str, DataClass]:
        """The first configured backend allowed for ``paths``; raises RoutingRefusedError."""
        routing = self.settings.routing
        data_class = self.classify_all(paths)
        for p in paths:
            for glob in routing.never:
                if _match(p, glob):
                    raise RoutingRefusedError(
                        f"{p} matches [ai.routing] never = {glob!r}: it is never sent to a model"
                    )
        allowed = routing.allowed(data_class)
        names = list(self.settings.backends)
        candidates = names if allowed is None else [n for n in allowed if n in names]
        if not candidates:
            raise RoutingRefusedError(
                f"{data_class} data ({', '.join(paths)}) may not be sent to any configured backend "
                f"(allowed: {', '.join(allowed or []) or 'none'})"
            )
        return candidates[0], data_class
