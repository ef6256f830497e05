"""Module-level state and the per-file cache: collecting what a module's functions store in
its globals must not make the files that use the module depend on its whole text.

The collection runs the module's writers while its environment is being computed; what they
call (in other modules) may read that environment back, or call back a function whose
summary is under way. Those values are provisional: they are not cached, so nothing that
uses the module later depends on what happened to be under way.
"""

from __future__ import annotations

from pathlib import Path

from mamori.scan.taint import AnalysisResult, Models, TaintOptions, analyse_sources
from mamori.scan.taint.analysis import GlobalStore, Project, Summary, _global_writers
from mamori.scan.taint.engine import _fingerprint, _Loader

OPTS = TaintOptions(jobs=1)

# A module with state that one view fills and another renders; its writer calls a helper of
# another module that reads back one of its functions and one of its constants.
STORE = """\
from flask import Flask, request
from app import fmt

app = Flask(__name__)
PREFIX = "> "
COMMENTS = []


def label(value):
    return PREFIX + value


def unrelated(n):
    total = 0
    for i in range(n):
        total += i
    return total


@app.post("/c")
def add():
    COMMENTS.append(fmt.render(request.form["c"]))
    return "", 201


@app.get("/c")
def page():
    return "<ul>" + "".join("<li>" + c + "</li>" for c in COMMENTS) + "</ul>"
"""
FMT = """\
from app.store import PREFIX, label


def render(value):
    return label(value).strip()


def quoted(value):
    return PREFIX + render(value)
"""
# Users of the helpers: they consume summaries computed while store.py's state was collected.
USER = """\
import os
from flask import request
from app.fmt import quoted


def run():
    os.system(quoted(request.args["c"]))
"""


# A project class whose instances keep what they are given (like Django's template Library).
LIBRARY = """\
class Library:
    def __init__(self):
        self.filters = {}

    def filter(self, name=None, **flags):
        def register(func):
            self.filters[name or func.__name__] = func
            return func

        return register
"""


def _scan(files: dict[str, str], cache: Path, models: Models) -> AnalysisResult:
    cached = analyse_sources(files, options=OPTS, models=models, cache_dir=cache)
    fresh = analyse_sources(files, options=OPTS, models=models)
    assert cached.hits == fresh.hits  # rules, places and flows
    return cached


def _found(result: AnalysisResult) -> set[tuple[str, str, int]]:
    return {(h.rule, h.path, h.line) for h in result.hits}


def _tree() -> dict[str, str]:
    tree = {"app/__init__.py": "", "app/store.py": STORE, "app/fmt.py": FMT}
    tree.update({f"app/user{i}.py": USER for i in range(4)})
    return tree


def test_findings_through_state_and_helpers(tmp_path: Path, taint_models: Models) -> None:
    found = _found(_scan(_tree(), tmp_path / "cache", taint_models))
    assert ("xss", "app/store.py", 28) in found
    assert {("command-injection", f"app/user{i}.py", 7) for i in range(4)} <= found


def test_body_edit_of_a_module_with_state_reanalyses_only_that_module(
    tmp_path: Path, taint_models: Models
) -> None:
    tree = _tree()
    cache = tmp_path / "cache"
    first = _scan(tree, cache, taint_models)
    # A body edit that changes no summary and shifts the lines of the functions below it.
    tree["app/store.py"] = STORE.replace(
        "        total += i\n", "        if i % 2:\n            total += i\n"
    )
    edited = _scan(tree, cache, taint_models)
    assert edited.analysed == 1
    assert _found(edited) == {(r, p, ln + (p == "app/store.py")) for r, p, ln in _found(first)}
    # Back: the same again.
    tree["app/store.py"] = STORE
    assert _scan(tree, cache, taint_models).analysed == 1


def test_state_edit_still_reaches_every_user(tmp_path: Path, taint_models: Models) -> None:
    tree = _tree()
    cache = tmp_path / "cache"
    _scan(tree, cache, taint_models)
    # label() now quotes its value: render()'s and quoted()'s summaries change, and with them
    # what each user gets (the finding goes away), although their text did not change.
    tree["app/store.py"] = STORE.replace(
        "from app import fmt\n", "from app import fmt\nimport shlex\n"
    ).replace("return PREFIX + value", "return shlex.quote(PREFIX + value)")
    edited = _scan(tree, cache, taint_models)
    assert not any(p.startswith("app/user") for _, p, _ in _found(edited))


def test_line_of_a_global_store_is_not_part_of_the_summary_fingerprint() -> None:
    def summary(line: int) -> Summary:
        store = GlobalStore(param=0, path="COMMENTS", line=line, cleansed=("xss",))
        return Summary(returns=frozenset(), global_stores=(store,))

    assert _fingerprint(summary(10)) == _fingerprint(summary(12))
    other = Summary(
        returns=frozenset(),
        global_stores=(GlobalStore(param=1, path="COMMENTS", line=10, cleansed=("xss",)),),
    )
    assert _fingerprint(other) != _fingerprint(summary(10))


def test_a_decorator_call_on_module_state_does_not_make_a_writer(taint_models: Models) -> None:
    # ``@register.filter(...)`` runs once, in the module body: the filter itself stores
    # nothing, so it is not analysed for module-level stores (Django's template filters).
    text = """\
from app.lib import Library

register = Library()
SEEN = []


@register.filter(is_safe=True)
def upper(value):
    return value.upper()


def remember(value):
    SEEN.append(value)
"""
    tree = {"app/__init__.py": "", "app/lib.py": LIBRARY, "app/filters.py": text}
    project = Project(_Loader(tree, None, taint_models), taint_models, TaintOptions())
    mod = project.module_at("app/filters.py")
    assert mod is not None
    project.module_env(mod)
    roots = project.state.global_roots["app/filters.py"]
    assert {"register", "SEEN"} <= roots
    instances = project.state.module_classes.get("app/filters.py", {})
    writers = _global_writers(mod, roots, instances, taint_models)
    assert [fi.local_name for fi in writers] == ["remember"]
