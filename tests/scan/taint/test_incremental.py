"""The per-file cache records what each file's analysis used of other files (function summaries,
module interfaces), not their whole text: editing a helper re-analyses the files that call it
only when the edit changed what they used, and a re-scan always equals a scan without cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mamori.scan.taint import AnalysisResult, Models, TaintOptions, analyse_sources

OPTS = TaintOptions(jobs=1)

VIEWS = """\
import os
from flask import request
from app.helpers import clean

def ping():
    host = clean(request.args["host"])
    os.system("ping " + host)
"""
HELPERS = """\
import shlex

def clean(value):
    return shlex.quote(value)

def unrelated(n):
    total = 0
    for i in range(n):
        total += i
    return total
"""
OTHER = """\
def answer():
    return 42
"""


def _scan(files: dict[str, str], cache: Path, models: Models) -> AnalysisResult:
    """A cached re-scan, checked against a scan of the same tree without any cache."""
    cached = analyse_sources(files, options=OPTS, models=models, cache_dir=cache)
    fresh = analyse_sources(files, options=OPTS, models=models)
    assert cached.hits == fresh.hits  # rules, places and flows
    assert cached.not_analysed == fresh.not_analysed
    return cached


def _found(result: AnalysisResult) -> set[tuple[str, str, int]]:
    return {(h.rule, h.path, h.line) for h in result.hits}


@pytest.fixture
def tree() -> dict[str, str]:
    return {"app/views.py": VIEWS, "app/helpers.py": HELPERS, "app/other.py": OTHER}


def test_helper_that_stops_sanitising_brings_the_finding_back(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    assert first.analysed == 3
    assert _found(first) == set()

    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 2  # the helper and the view that calls it
    assert _found(edited) == {("command-injection", "app/views.py", 7)}
    [hit] = edited.hits
    assert any(s.location.path == "app/helpers.py" for s in hit.flow)

    tree["app/helpers.py"] = HELPERS
    back = _scan(tree, cache, taint_models)
    assert back.analysed == 2
    assert _found(back) == set()


def test_helper_that_starts_returning_request_data(tmp_path: Path, taint_models: Models) -> None:
    views = (
        "import os\nfrom app.config import host\n\ndef ping():\n    os.system('ping ' + host())\n"
    )
    config = "from flask import request\n\ndef host():\n    return 'localhost'\n"
    tree = {"app/views.py": views, "app/config.py": config}
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == set()

    tree["app/config.py"] = config.replace("'localhost'", "request.args['host']")
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 2
    assert _found(edited) == {("command-injection", "app/views.py", 5)}


def test_unrelated_edit_of_a_helper_reuses_the_callers_results(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    # A second caller with a finding of its own that does not flow through the helper.
    tree["app/admin.py"] = (
        "import os\nfrom flask import request\nfrom app.helpers import unrelated\n\n"
        "def purge():\n    os.system('rm ' + request.args['f'])\n\n"
        "def pause():\n    os.system('sleep ' + unrelated(3))\n"
    )
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    assert _found(first) == {("command-injection", "app/admin.py", 6)}

    # Another function's body changes, one line longer: clean()'s and unrelated()'s summaries
    # do not, so neither caller is re-analysed although both import the file.
    tree["app/helpers.py"] = HELPERS.replace(
        "        total += i\n", "        if i % 2:\n            total += i\n"
    )
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 1
    assert edited.hits == first.hits

    # A function added to the helper module: the module's interface grows, but nothing that
    # the callers looked up in it changes.
    tree["app/helpers.py"] += "\ndef more(x):\n    return x\n"
    assert _scan(tree, cache, taint_models).analysed == 1

    # unrelated() now returns request data: admin.py is re-analysed, views.py is not.
    tree["app/helpers.py"] = (
        tree["app/helpers.py"]
        .replace("import shlex\n", "import shlex\nfrom flask import request\n")
        .replace("    return total\n", "    return request.args['n']\n")
    )
    changed = _scan(tree, cache, taint_models)
    assert changed.analysed == 2
    assert _found(changed) == {
        ("command-injection", "app/admin.py", 6),
        ("command-injection", "app/admin.py", 9),
    }


def test_line_shift_in_a_helper_moves_the_flow_steps_of_the_callers_findings(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    # views.py's finding flows through clean(): its flow names helper lines, so shifting
    # them re-analyses views.py (the fingerprints of summaries leave lines out).
    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    tree["app/quiet.py"] = "from app.helpers import clean\n\ndef tidy(s):\n    return clean(s)\n"
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    tree["app/helpers.py"] = "# moved down\n\n" + tree["app/helpers.py"]
    edited = _scan(tree, cache, taint_models)
    # helpers.py and views.py; not quiet.py, which uses clean() but reports nothing.
    assert edited.analysed == 2
    assert edited.hits != first.hits
    [hit] = edited.hits
    helper_lines = {s.location.start_line for s in hit.flow if s.location.path == "app/helpers.py"}
    assert helper_lines and min(helper_lines) >= 5  # clean() now starts on line 5


def test_sink_inside_a_helper_reported_through_the_caller_moves_with_the_helper(
    tmp_path: Path, taint_models: Models
) -> None:
    views = (
        "from flask import request\nfrom app.run import run\n\n"
        "def go():\n    run(request.args['cmd'])\n"
    )
    run = "import os\n\ndef run(cmd):\n    os.system(cmd)\n"
    tree = {"app/views.py": views, "app/run.py": run}
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == {("command-injection", "app/run.py", 4)}
    tree["app/run.py"] = "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n"
    moved = _scan(tree, cache, taint_models)
    assert _found(moved) == {("command-injection", "app/run.py", 5)}


def test_removed_helper_falls_back_to_the_default_and_is_noticed(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == set()
    # clean() renamed: the call no longer resolves, unknown calls propagate their arguments.
    tree["app/helpers.py"] = HELPERS.replace("def clean(", "def sanitise(")
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 2
    assert _found(edited) == {("command-injection", "app/views.py", 7)}


def test_change_two_calls_away_reaches_the_caller(tmp_path: Path, taint_models: Models) -> None:
    views = VIEWS.replace("from app.helpers import clean", "from app.mid import clean")
    mid = "from app.helpers import clean as _clean\n\ndef clean(v):\n    return _clean(v)\n"
    tree = {"app/views.py": views, "app/mid.py": mid, "app/helpers.py": HELPERS}
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == set()

    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 3  # helpers.py, then mid.py's summary changed, then views.py
    assert _found(edited) == {("command-injection", "app/views.py", 7)}

    tree["app/helpers.py"] = HELPERS
    assert _scan(tree, cache, taint_models).analysed == 3
    # mid.py edited without changing what its clean() returns: views.py stays cached.
    tree["app/mid.py"] = mid + "\nLIMIT = 3\n"
    again = _scan(tree, cache, taint_models)
    assert again.analysed == 1
    assert _found(again) == set()


def test_mutual_recursion_across_files_stays_exact(tmp_path: Path, taint_models: Models) -> None:
    # Summaries computed under the recursion guard depend on the order of computation: the
    # files involved fall back to depending on each other's whole text.
    a = (
        "import os\nfrom flask import request\nfrom app.b import bounce\n\n"
        "def relay(v, n):\n    return bounce(v, n - 1) if n else v\n\n"
        "def go():\n    os.system(relay(request.args['c'], 3))\n"
    )
    b = "from app.a import relay\n\ndef bounce(v, n):\n    return relay(v, n)\n"
    tree = {"app/a.py": a, "app/b.py": b}
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    assert ("command-injection", "app/a.py", 9) in _found(first)
    tree["app/b.py"] = b + "\n# comment\n"
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 2
    tree["app/b.py"] = b.replace("return relay(v, n)", "return 'x'")
    _scan(tree, cache, taint_models)


def test_new_module_that_an_import_now_resolves_to(tmp_path: Path, taint_models: Models) -> None:
    views = "import os\nfrom app.util import get\n\ndef go():\n    os.system(get())\n"
    tree = {"app/views.py": views}
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == set()
    tree["app/util.py"] = "from flask import request\n\ndef get():\n    return request.args['c']\n"
    assert _found(_scan(tree, cache, taint_models)) == {("command-injection", "app/views.py", 5)}


def test_rescan_in_worker_processes_equals_a_cold_scan(
    tmp_path: Path, taint_models: Models
) -> None:
    # Enough dependents to re-analyse in worker processes, forked from the process that
    # checked the cache (and computed the helper's new summary).
    tree = {"app/helpers.py": HELPERS}
    for i in range(60):
        tree[f"app/views{i:02}.py"] = VIEWS.replace("def ping", f"def ping{i}")
    opts = TaintOptions(jobs=2)
    cache = tmp_path / "cache"
    analyse_sources(tree, options=opts, models=taint_models, cache_dir=cache)
    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    cached = analyse_sources(tree, options=opts, models=taint_models, cache_dir=cache)
    fresh = analyse_sources(tree, options=TaintOptions(jobs=1), models=taint_models)
    assert cached.analysed == 61
    assert len(cached.hits) == 60
    assert cached.hits == fresh.hits


# ------------------------------------------------------------- files added and removed
# Name resolution depends on the set of files: each cached file records the module lookups its
# analysis made (failed ones too) and is re-analysed only when one of them gets a new answer.


def test_new_module_nobody_imports_is_the_only_file_analysed(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    cache = tmp_path / "cache"
    _scan(tree, cache, taint_models)
    tree["app/reports.py"] = (
        "import os\nfrom flask import request\n\ndef export():\n"
        "    os.system('zip ' + request.args['f'])\n"
    )
    added = _scan(tree, cache, taint_models)
    assert added.analysed == 1
    assert _found(added) == {("command-injection", "app/reports.py", 5)}
    del tree["app/reports.py"]
    removed = _scan(tree, cache, taint_models)
    assert removed.analysed == 0
    assert _found(removed) == set()


def test_new_module_an_import_failed_to_find_reanalyses_only_its_importer(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    tree["app/views.py"] = VIEWS.replace(
        "from app.helpers import clean", "from app.helpers import clean\nfrom app.util import get"
    ).replace('    os.system("ping " + host)\n', '    os.system("ping " + host + get())\n')
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == set()
    tree["app/util.py"] = "from flask import request\n\ndef get():\n    return request.args['c']\n"
    added = _scan(tree, cache, taint_models)
    assert added.analysed == 2  # util.py and views.py, whose lookup of app.util failed
    assert _found(added) == {("command-injection", "app/views.py", 8)}
    # Removing it again: views.py's lookup now fails again; helpers.py and other.py stay.
    del tree["app/util.py"]
    removed = _scan(tree, cache, taint_models)
    assert removed.analysed == 1
    assert _found(removed) == set()


def test_deleted_helper_reanalyses_its_callers_only(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    cache = tmp_path / "cache"
    _scan(tree, cache, taint_models)
    del tree["app/helpers.py"]
    removed = _scan(tree, cache, taint_models)
    assert removed.analysed == 1  # views.py: clean() is now an unknown call
    assert _found(removed) == {("command-injection", "app/views.py", 7)}
    # Restored: helpers.py's own entry is still in the cache (and its lookups still get the
    # same answers), so only views.py is analysed again.
    tree["app/helpers.py"] = HELPERS
    back = _scan(tree, cache, taint_models)
    assert back.analysed == 1
    assert _found(back) == set()


def test_new_module_that_wins_a_suffix_lookup(tmp_path: Path, taint_models: Models) -> None:
    # "from util import get" names no module exactly; it resolves by suffix, preferring a
    # candidate in the importer's own top-level directory. A new app/util.py takes over.
    views = "import os\nfrom util import get\n\ndef go():\n    os.system(get())\n"
    tree = {
        "app/views.py": views,
        "lib/util.py": "def get():\n    return 'uptime'\n",
        "lib/other.py": OTHER,
    }
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == set()
    tree["app/util.py"] = "import sys\n\ndef get():\n    return sys.argv[1]\n"
    added = _scan(tree, cache, taint_models)
    assert added.analysed == 2
    assert _found(added) == {("command-injection", "app/views.py", 5)}


def test_new_package_init_that_provides_a_function(tmp_path: Path, taint_models: Models) -> None:
    views = (
        "import os\nfrom flask import request\nfrom app import clean\n\n"
        "def go():\n    os.system('ls ' + clean(request.args['d']))\n"
    )
    tree = {"app/views.py": views, "app/other.py": OTHER}
    cache = tmp_path / "cache"
    assert _found(_scan(tree, cache, taint_models)) == {("command-injection", "app/views.py", 6)}
    tree["app/__init__.py"] = "import shlex\n\ndef clean(v):\n    return shlex.quote(v)\n"
    added = _scan(tree, cache, taint_models)
    assert added.analysed == 2  # __init__.py and views.py; not other.py
    assert _found(added) == set()
    # The package's __init__ edited: only what used clean() is checked again.
    tree["app/__init__.py"] = "def clean(v):\n    return v\n"
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 2
    assert _found(edited) == {("command-injection", "app/views.py", 6)}


def test_file_added_and_another_edited_in_one_rescan(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    cache = tmp_path / "cache"
    _scan(tree, cache, taint_models)
    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    tree["app/jobs.py"] = "from app.helpers import clean\n\ndef run(x):\n    return clean(x)\n"
    both = _scan(tree, cache, taint_models)
    assert both.analysed == 3  # helpers.py, jobs.py (new) and views.py (clean() changed)
    assert _found(both) == {("command-injection", "app/views.py", 7)}


# ------------------------------------------------------------- re-analysis in part
# A file re-analysed because a value it consumed changed (its own text did not) recomputes only
# what that value reaches in it: the computations whose inputs changed, then those of the same
# file that consumed one whose result changed; the rest comes from the cached traces.

HUB = """\
import os
from flask import request
from app.helpers import clean, unrelated

def first():
    return clean(request.args["a"])

def second():
    os.system("ping " + first())

def third():
    os.system("rm " + request.form["f"])

def fourth(n):
    return unrelated(n)

def run_it(cmd):
    os.system("sh -c " + cmd)
"""


def _partials(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, frozenset[str]]]:
    """Records each re-analysis in part that succeeded: (file, values recomputed)."""
    from mamori.scan.taint import engine

    done: list[tuple[str, frozenset[str]]] = []
    original = engine._Worker.partial

    def spy(self, path, parts, affected, cached):  # type: ignore[no-untyped-def]
        out = original(self, path, parts, affected, cached)
        if out is not None:
            done.append((path, frozenset(k for k in parts if k in self.project.records)))
        return out

    monkeypatch.setattr(engine._Worker, "partial", spy)
    return done


def test_change_reaches_a_caller_in_the_same_file_through_a_partial_reanalysis(
    tree: dict[str, str], tmp_path: Path, taint_models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree["app/hub.py"] = HUB
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    # third()'s own finding, and run_it()'s parameter reaching a sink (an entry point).
    assert ("command-injection", "app/hub.py", 12) in _found(first)
    assert ("command-injection", "app/hub.py", 9) not in _found(first)
    partials = _partials(monkeypatch)

    # clean() stops sanitising: first() (which calls it) changes, so second() (which calls
    # first(), in the same file) is recomputed too and now reports; third() and run_it() are
    # taken from the cache with their findings.
    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    edited = _scan(tree, cache, taint_models)
    assert {
        ("command-injection", "app/hub.py", 9),
        ("command-injection", "app/hub.py", 12),
    } <= _found(edited)
    assert len(_found(edited)) == len(_found(first)) + 2  # hub.py:9 and views.py:7
    hub = [keys for path, keys in partials if path == "app/hub.py"]
    assert hub, "hub.py was not re-analysed in part"
    assert not any(k.startswith("s:app.hub.third@") for k in hub[0])
    assert not any(k.startswith("s:app.hub.run_it@") for k in hub[0])
    assert any(k.startswith("s:app.hub.second@") for k in hub[0])

    # And back: the same path again, to the original findings.
    tree["app/helpers.py"] = HELPERS
    assert _scan(tree, cache, taint_models).hits == first.hits


def test_change_two_modules_away_reaches_a_partially_reanalysed_file(
    tmp_path: Path, taint_models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    # views.py -> mid.py -> helpers.py: the helper's summary changes, mid.py's changes with
    # it, and views.py (which never imports helpers.py) is re-analysed in part.
    mid = "from app.helpers import clean as _clean\n\ndef clean(v):\n    return _clean(v)\n"
    tree = {
        "app/hub.py": HUB.replace("from app.helpers import", "from app.mid import")
        .replace(", unrelated", "")
        .replace("    return unrelated(n)\n", "    return n\n"),
        "app/mid.py": mid,
        "app/helpers.py": HELPERS,
    }
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    partials = _partials(monkeypatch)
    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    edited = _scan(tree, cache, taint_models)
    assert ("command-injection", "app/hub.py", 9) in _found(edited)
    assert {p for p, _ in partials} == {"app/mid.py", "app/hub.py"}
    tree["app/helpers.py"] = HELPERS
    assert _scan(tree, cache, taint_models).hits == first.hits


def test_partial_reanalysis_after_a_line_shift_moves_only_the_flows_it_must(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    # clean() no longer sanitises; its lines then move: hub.py's findings through it are
    # recomputed (their flows name helper lines), third()'s is kept.
    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    tree["app/hub.py"] = HUB
    cache = tmp_path / "cache"
    _scan(tree, cache, taint_models)
    tree["app/helpers.py"] = "# moved\n\n\n" + tree["app/helpers.py"]
    moved = _scan(tree, cache, taint_models)
    [hit] = [h for h in moved.hits if (h.path, h.line) == ("app/hub.py", 9)]
    assert min(s.location.start_line for s in hit.flow if s.location.path == "app/helpers.py") >= 6


def test_deleted_module_reanalyses_in_part_and_damaged_traces_fall_back(
    tree: dict[str, str], tmp_path: Path, taint_models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree["app/hub.py"] = HUB
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    partials = _partials(monkeypatch)
    del tree["app/helpers.py"]  # clean() and unrelated() become unknown calls
    removed = _scan(tree, cache, taint_models)
    assert ("command-injection", "app/hub.py", 9) in _found(removed)
    assert "app/hub.py" in {p for p, _ in partials}
    tree["app/helpers.py"] = HELPERS
    assert _scan(tree, cache, taint_models).hits == first.hits

    # Traces that do not match their entry (here: damaged) are not used: the file is analysed
    # whole, with the same result.
    for f in cache.rglob("*.parts/*.json"):
        f.write_text(f.read_text(encoding="utf-8").replace('"fp":"', '"fp":"x'), "utf-8")
    partials.clear()
    tree["app/helpers.py"] = HELPERS.replace("shlex.quote(value)", "value.strip()")
    edited = _scan(tree, cache, taint_models)
    assert ("command-injection", "app/hub.py", 9) in _found(edited)
    assert partials == []


def test_a_rescan_writes_back_the_cache_lines_of_unchanged_files(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    cache = tmp_path / "cache"
    _scan(tree, cache, taint_models)
    [file] = cache.glob("*.json")
    # A header, the three tables (paths, fact keys, answers), then one line per file.
    before = file.read_text(encoding="utf-8").split("\n")[4:]
    tree["app/other.py"] = OTHER + "\n\ndef more():\n    return 1\n"
    tree["app/new.py"] = "def fresh():\n    return 2\n"  # a new file: every entry's scope
    _scan(tree, cache, taint_models)
    after = file.read_text(encoding="utf-8").split("\n")[4:]
    assert len(after) == 4
    assert len(set(before) & set(after)) == 2  # views.py and helpers.py, as they were read
    # And the cache read back from those lines gives a cold scan's results.
    del tree["app/new.py"]
    assert _scan(tree, cache, taint_models).analysed == 0


def test_cache_round_trip_decodes_values_and_lookups_only_when_read(
    tree: dict[str, str], tmp_path: Path, taint_models: Models
) -> None:
    """Each entry's consumed values and name lookups are kept packed and decoded on first
    use; what is decoded equals what the analysis recorded, and a re-save that re-encodes
    nothing writes the entries back unchanged."""
    from mamori.scan.taint import engine

    cache = tmp_path / "cache"
    _scan(tree, cache, taint_models)
    [file] = cache.glob("taint-*.json")
    loaded = engine._load_cache(file)
    views = loaded.entries["app/views.py"].result
    assert isinstance(views.facts, engine._Packed) and views.facts._data is None
    assert any(k.startswith("s") for k in views.facts)  # the summary of clean() it consumed
    assert views.facts._data is not None  # decoded by that read
    untouched = loaded.entries["app/other.py"].result
    assert isinstance(untouched.lookups, engine._Packed) and untouched.lookups._data is None
    before = file.read_text()
    engine._save_cache(file, loaded)
    assert file.read_text() == before
    assert untouched.lookups._data is None and untouched.facts._data is None  # nothing decoded
    # A full rewrite (no tables to reuse) decodes and re-encodes everything, to the same values.
    rewritten = engine._Cache(dict(loaded.entries), dict(loaded.supports))
    for p, e in rewritten.entries.items():
        rewritten.entries[p] = engine._Entry(
            digest=e.digest, scope=e.scope, deps=e.deps, result=e.result, parts=e.parts
        )
    engine._save_cache(file, rewritten)
    again = engine._load_cache(file)
    for p, e in loaded.entries.items():
        assert dict(again.entries[p].result.facts) == dict(e.result.facts)
        assert dict(again.entries[p].result.lookups) == dict(e.result.lookups)
    assert again.supports == loaded.supports


def test_tables_are_written_back_as_read_or_extended() -> None:
    from mamori.scan.taint import engine

    loaded = ["a", 'b"q']
    text = json.dumps(loaded, separators=(",", ":"))
    assert engine._table_text(list(loaded), loaded, text) is text  # unchanged: as read
    grown = engine._table_text([*loaded, "c\\n"], loaded, text)
    assert json.loads(grown) == [*loaded, "c\\n"]
    assert json.loads(engine._table_text(["x"], [], "[]")) == ["x"]
    # Not an extension of what was read (a full rewrite renumbers): encoded afresh.
    assert json.loads(engine._table_text(["z"], loaded, text)) == ["z"]
