"""Running the analysis: per-file cache keyed by content and import closure, worker processes,
and newer syntax down-levelled for this interpreter's ast."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from mamori.scan.taint import AnalysisResult, Models, TaintOptions, analyse_sources, engine
from mamori.scan.taint.downlevel import DownlevelError, downlevel, parse_any

VIEWS = """\
from flask import request
from app.db import find_user

def show():
    return find_user(request.args["id"])
"""
DB = """\
import sqlite3

def find_user(uid):
    conn = sqlite3.connect("app.db")
    return conn.execute("SELECT * FROM users WHERE id = " + uid).fetchall()
"""
DB_SAFE = """\
import sqlite3

def find_user(uid):
    conn = sqlite3.connect("app.db")
    return conn.execute("SELECT * FROM users WHERE id = ?", (uid,)).fetchall()
"""
OTHER = """\
import os
from flask import request

def ping():
    os.system("ping " + request.args["host"])
"""


def _keys(result: AnalysisResult) -> set[tuple[str, str, int]]:
    return {(h.rule, h.path, h.line) for h in result.hits}


def test_rescan_reanalyses_only_the_changed_file_and_its_importers(
    tmp_path: Path, taint_models: Models
) -> None:
    files = {"app/views.py": VIEWS, "app/db.py": DB, "app/other.py": OTHER}
    opts = TaintOptions(jobs=1)
    cache = tmp_path / "cache"
    first = analyse_sources(files, options=opts, models=taint_models, cache_dir=cache)
    assert first.analysed == 3
    assert _keys(first) == {
        ("sql-injection", "app/db.py", 5),
        ("command-injection", "app/other.py", 5),
    }
    again = analyse_sources(files, options=opts, models=taint_models, cache_dir=cache)
    assert again.analysed == 0
    assert again.hits == first.hits  # flows included, read back from the cache

    # db.py changes: db.py and views.py (which imports it) are re-analysed, other.py is not.
    files["app/db.py"] = DB_SAFE
    edited = analyse_sources(files, options=opts, models=taint_models, cache_dir=cache)
    assert edited.analysed == 2
    assert _keys(edited) == {("command-injection", "app/other.py", 5)}
    assert _keys(edited) == _keys(analyse_sources(files, options=opts, models=taint_models))

    # A leaf edit re-analyses the leaf only.
    files["app/other.py"] = OTHER + "\n# touched\n"
    assert analyse_sources(files, options=opts, models=taint_models, cache_dir=cache).analysed == 1


def test_corrupt_cache_means_a_full_analysis(tmp_path: Path, taint_models: Models) -> None:
    files = {"app/views.py": VIEWS, "app/db.py": DB}
    cache = tmp_path / "cache"
    analyse_sources(files, options=TaintOptions(jobs=1), models=taint_models, cache_dir=cache)
    [cache_file] = cache.glob("*.json")  # (the per-file traces sit beside it)
    cache_file.write_text("{not json")
    result = analyse_sources(
        files, options=TaintOptions(jobs=1), models=taint_models, cache_dir=cache
    )
    assert result.analysed == 2
    assert _keys(result) == {("sql-injection", "app/db.py", 5)}


def test_damaged_values_inside_valid_json_mean_a_full_analysis(
    tmp_path: Path, taint_models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry's consumed values and name lookups are decoded only when a re-scan needs
    them: a damaged one found then (an index past the table) still costs only a full
    analysis."""
    files = {"app/views.py": VIEWS, "app/db.py": DB}
    cache = tmp_path / "cache"
    opts = TaintOptions(jobs=1)
    analyse_sources(files, options=opts, models=taint_models, cache_dir=cache)
    [cache_file] = cache.glob("*.json")
    lines = cache_file.read_text().split("\n")
    damaged = []
    for line in lines[4:]:
        path, entry = json.loads(line)
        entry["lookups"] = "[[999999,0]]"
        damaged.append(json.dumps([path, entry], separators=(",", ":")))
    cache_file.write_text("\n".join([*lines[:4], *damaged]))
    # A new file: every entry's name lookups are read, to replay them.
    files["app/new.py"] = "def fresh():\n    return 2\n"
    attempts: list[int] = []
    real = engine._analyse_with

    def counted(*args: Any, **kwargs: Any) -> Any:
        attempts.append(len(args[3].entries))  # the cache it was given
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "_analyse_with", counted)
    result = analyse_sources(files, options=opts, models=taint_models, cache_dir=cache)
    assert attempts == [2, 0]  # the damaged cache was tried, then dropped
    assert result.analysed == 3
    assert _keys(result) == {("sql-injection", "app/db.py", 5)}
    # The cache was rebuilt: the next scan re-analyses nothing.
    assert analyse_sources(files, options=opts, models=taint_models, cache_dir=cache).analysed == 0


def test_worker_processes_find_the_same_flows(taint_models: Models) -> None:
    files = {"app/db.py": DB, "app/other.py": OTHER}
    for i in range(60):
        files[f"app/views{i:02}.py"] = VIEWS.replace("def show", f"def show{i}")
    one = analyse_sources(files, options=TaintOptions(jobs=1), models=taint_models)
    two = analyse_sources(files, options=TaintOptions(jobs=2), models=taint_models)
    assert one.analysed == two.analysed == 62
    assert (
        _keys(one)
        == _keys(two)
        == {
            ("sql-injection", "app/db.py", 5),
            ("command-injection", "app/other.py", 5),
        }
    )
    assert one.hits == two.hits


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("type Pair[T] = tuple[T, T]\n", "Pair = tuple[T, T]\n"),
        ("class Box[T: int = int]:\n    pass\n", "class Box:\n    pass\n"),
        ("def f[*Ts, **P](x):\n    return x\n", "def f(x):\n    return x\n"),
        ('x = f"{d["k"]}"\n', "x = f'{d[\"k\"]}'\n"),
        ("x = f'{d['k']} it\"s'\n", "x = f'''{d['k']} it\"s'''\n"),
        ('x = f"{f"{a["k"]}"}"\n', 'x = f"""{f\'{a["k"]}\'}"""\n'),
    ],
)
def test_downlevel_keeps_lines_and_meaning(source: str, expected: str) -> None:
    lowered = downlevel(source)
    assert lowered == expected
    ast.parse(lowered)
    assert lowered.count("\n") == source.count("\n")


def test_parse_any_explains_what_it_cannot_parse() -> None:
    with pytest.raises(DownlevelError, match="not valid Python"):
        parse_any("bad.py", "def f(:\n")


def test_restricted_rescan_keeps_the_other_cache_entries(
    tmp_path: Path, taint_models: Models
) -> None:
    files = {"app/views.py": VIEWS, "app/db.py": DB, "app/other.py": OTHER}
    opts = TaintOptions(jobs=1)
    cache = tmp_path / "cache"
    analyse_sources(files, options=opts, models=taint_models, cache_dir=cache)
    only = {"app/new.py": "x = 1\n"}
    assert analyse_sources(only, options=opts, models=taint_models, cache_dir=cache).analysed == 1
    assert analyse_sources(files, options=opts, models=taint_models, cache_dir=cache).analysed == 0


def test_source_file_parses_with_ast_and_falls_back_to_libcst() -> None:
    import libcst as cst

    from mamori.scan.source import SourceFile

    old = SourceFile.parse("old.py", "x = 1\n")
    assert old.tree is not None  # the taint engine analyses this tree: one parse
    newer = SourceFile.parse("new.py", "type Pair = tuple[int, int]\n")
    assert newer.tree is None
    assert newer.module.code == "type Pair = tuple[int, int]\n"
    with pytest.raises(cst.ParserSyntaxError):
        SourceFile.parse("bad.py", "def f(:\n")
