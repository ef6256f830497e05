"""Plain-JSON conversion of Mamori's values.

:func:`to_jsonable` turns frozen dataclasses, enums, tuples and mappings into ``dict``/``list``/
scalars that :func:`json.dumps` accepts; :func:`from_jsonable` rebuilds a typed value from such
data using the class's type hints. The store keeps structured columns this way and the CLI's
``--json`` output uses it, so the two agree on one representation.

Properties (``Finding.engines``, ``TestSummary.ok``) are not serialised: they are derived.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any, TypeVar, Union, cast

from mamori.errors import BadInputFileError

__all__ = ["SerializeError", "from_jsonable", "to_jsonable"]

T = TypeVar("T")


class SerializeError(BadInputFileError):
    """Data does not have the shape of the requested type (names the offending path)."""


def to_jsonable(obj: Any) -> Any:
    """Return ``obj`` as JSON-compatible data (dicts with ``str`` keys, lists, scalars).

    Dataclasses become dicts of their ``init`` fields, enums their value, tuples/lists/sets
    lists, mappings dicts, paths POSIX strings. Raises :class:`TypeError` for anything else:
    silently stringifying an unknown object would hide a bug until someone reads it back.
    """
    if obj is None or isinstance(obj, bool | int | float | str):
        # Enums derive from str/int here (StrEnum); unwrap them to their plain value.
        if isinstance(obj, enum.Enum):
            return obj.value
        return obj
    if isinstance(obj, enum.Enum):
        return to_jsonable(obj.value)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init
        }
    if isinstance(obj, Mapping):
        return {_key(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, tuple | list):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, PurePath):
        return obj.as_posix()
    if isinstance(obj, set | frozenset):
        # Sorted so that the output (and any hash of it) does not depend on set order.
        return sorted((to_jsonable(v) for v in obj), key=repr)
    raise TypeError(f"cannot convert {type(obj).__qualname__} to JSON: {obj!r:.80}")


def _key(key: object) -> str:
    if isinstance(key, enum.Enum):
        key = key.value
    if isinstance(key, str):
        return str(key)
    raise TypeError(f"JSON object keys must be strings, got {type(key).__qualname__}: {key!r}")


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a value of type ``cls`` from :func:`to_jsonable` output.

    Supports dataclasses (nested, with defaults), enums, ``NewType`` ids, ``X | None``,
    ``tuple[X, ...]``, fixed tuples, ``list[X]``, ``dict``/``Mapping[str, X]``, ``Any`` and the
    JSON scalars. Unknown or missing dataclass fields and wrong types raise
    :class:`SerializeError` naming the path (``Finding.location.start_line``).
    """
    return cast(T, _decode(cls, data, cls.__name__ if isinstance(cls, type) else str(cls)))


def _decode(tp: Any, data: Any, path: str) -> Any:
    if tp is Any:
        return data
    if tp is type(None) or tp is None:
        if data is not None:
            raise _mismatch(path, "null", data)
        return None
    supertype = getattr(tp, "__supertype__", None)
    if supertype is not None:  # a NewType: the runtime value is the supertype's
        return _decode(supertype, data, path)
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return _decode_union(typing.get_args(tp), data, path)
    if origin is not None:
        return _decode_generic(origin, typing.get_args(tp), data, path)
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            try:
                return tp(data)
            except ValueError as e:
                allowed = ", ".join(repr(m.value) for m in tp)
                raise SerializeError(
                    f"{path}: {data!r} is not a valid {tp.__name__} (expected one of: {allowed})"
                ) from e
        if dataclasses.is_dataclass(tp):
            return _decode_dataclass(tp, data, path)
        return _decode_scalar(tp, data, path)
    raise TypeError(f"{path}: unsupported type annotation {tp!r}")


def _decode_union(args: tuple[Any, ...], data: Any, path: str) -> Any:
    if data is None and type(None) in args:
        return None
    candidates = [a for a in args if a is not type(None)]
    errors: list[str] = []
    for candidate in candidates:
        try:
            return _decode(candidate, data, path)
        except SerializeError as e:
            errors.append(e.message)
    if len(errors) == 1:
        raise SerializeError(errors[0])
    raise SerializeError(f"{path}: {data!r:.80} matches none of: " + "; ".join(errors))


def _decode_generic(origin: Any, args: tuple[Any, ...], data: Any, path: str) -> Any:
    if origin in (tuple, list, set, frozenset, Sequence):
        if not isinstance(data, list | tuple):
            raise _mismatch(path, "array", data)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if args == ((),) or not args:
                args = ()
            if len(args) != len(data):
                raise SerializeError(f"{path}: expected {len(args)} items, got {len(data)}")
            return tuple(
                _decode(a, v, f"{path}[{i}]")
                for i, (a, v) in enumerate(zip(args, data, strict=True))
            )
        item = args[0] if args else Any
        items = [_decode(item, v, f"{path}[{i}]") for i, v in enumerate(data)]
        if origin is list:
            return items
        if origin in (set, frozenset):
            return origin(items)
        return tuple(items)
    if origin in (dict, Mapping):
        if not isinstance(data, Mapping):
            raise _mismatch(path, "object", data)
        key_t, value_t = args if args else (Any, Any)
        return {
            _decode(key_t, k, f"{path}.<key>"): _decode(value_t, v, f"{path}[{k!r}]")
            for k, v in data.items()
        }
    raise TypeError(f"{path}: unsupported generic type {origin!r}")


def _decode_dataclass(tp: type[Any], data: Any, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise _mismatch(path, f"object ({tp.__name__})", data)
    hints = _type_hints(tp)
    init_fields = {f.name: f for f in dataclasses.fields(tp) if f.init}
    unknown = sorted(set(data) - set(init_fields))
    if unknown:
        raise SerializeError(f"{path}: unknown field(s) for {tp.__name__}: {', '.join(unknown)}")
    kwargs: dict[str, Any] = {}
    for name, f in init_fields.items():
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SerializeError(f"{path}: missing required field {name!r}")
            continue
        kwargs[name] = _decode(hints[name], data[name], f"{path}.{name}")
    return tp(**kwargs)


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _type_hints(tp: type[Any]) -> dict[str, Any]:
    # Cached: get_type_hints evaluates the (string) annotations of the whole class each call.
    hints = _HINTS.get(tp)
    if hints is None:
        hints = _HINTS[tp] = typing.get_type_hints(tp)
    return hints


def _decode_scalar(tp: type[Any], data: Any, path: str) -> Any:
    if tp is bool:
        if isinstance(data, bool):
            return data
        raise _mismatch(path, "boolean", data)
    if tp is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise _mismatch(path, "integer", data)
    if tp is float:
        # JSON does not distinguish 1 from 1.0; accept integers for float fields.
        if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        raise _mismatch(path, "number", data)
    if tp is str:
        if isinstance(data, str):
            return data
        raise _mismatch(path, "string", data)
    if issubclass(tp, PurePath):
        if isinstance(data, str):
            return tp(data)
        raise _mismatch(path, "string (a path)", data)
    raise TypeError(f"{path}: unsupported type {tp.__qualname__}")


def _mismatch(path: str, expected: str, data: Any) -> SerializeError:
    return SerializeError(f"{path}: expected {expected}, got {type(data).__name__} {data!r:.80}")
