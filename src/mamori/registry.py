"""Plugin registries loaded lazily from entry-point groups.

Engines (``mamori.scanners``), fixers (``mamori.fixers``) and reporters (``mamori.reporters``)
register through entry points. A registry rejects duplicate ids and loads nothing until asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from mamori.errors import EngineUnavailableError, Error

T = TypeVar("T")


class RegistryError(Error):
    pass


class Registry(Generic[T]):
    def __init__(self, group: str, id_of: Callable[[T], str]) -> None:
        self.group = group
        self._id_of = id_of
        self._loaded: dict[str, T] | None = None
        self._extra: list[T] = []

    def register(self, plugin: T) -> None:
        """Add a plugin by hand (tests, embedding)."""
        self._extra.append(plugin)
        self._loaded = None

    def _load(self) -> dict[str, T]:
        if self._loaded is not None:
            return self._loaded
        found: dict[str, T] = {}
        plugins: list[T] = []
        for ep in sorted(entry_points(group=self.group), key=lambda e: e.name):
            try:
                factory = ep.load()
            except ImportError as e:
                raise EngineUnavailableError(
                    f"plugin {ep.name!r} ({ep.value}) in {self.group} cannot be imported: {e}",
                    hint="reinstall mamori with its dependencies: pip install -e .",
                ) from e
            plugins.append(factory())
        plugins.extend(self._extra)
        for plugin in plugins:
            pid = self._id_of(plugin)
            if pid in found:
                raise RegistryError(f"duplicate plugin id {pid!r} in {self.group}")
            found[pid] = plugin
        self._loaded = found
        return found

    def ids(self) -> list[str]:
        return sorted(self._load())

    def get(self, pid: str) -> T:
        try:
            return self._load()[pid]
        except KeyError:
            known = ", ".join(self.ids()) or "none"
            raise EngineUnavailableError(
                f"no plugin {pid!r} in {self.group} (installed: {known})"
            ) from None

    def __iter__(self) -> Iterator[T]:
        return iter(self._load().values())
