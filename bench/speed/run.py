"""Speed benchmark: Mamori's taint engine against Bandit on Django, measured in the same run.

Downloads the Django sdist from PyPI once (``pip download``, into the git-ignored
``bench/.cache``), unpacks it, and times, each in a fresh child process:

- Bandit on the tree (``bandit -r -q -f json``);
- Mamori's taint engine on the tree from disk (listed as ``mamori scan`` lists files, with
  ``git ls-files``; read, parse, analyse in worker processes, write the per-file cache), cold:
  no cache;
- the same with the shared LibCST inventory in front (``build_target``: what ``mamori scan``
  does before any engine runs), cold;
- re-scans after realistic one-file edits, each starting from the cache of the full scan and
  followed by a re-scan of the reverted tree (both timed; the table shows the edit's):
  a statement added to a view method (a module few files import); a statement added to the
  body of ``wrap()`` in ``django/utils/text.py``, a helper module much of Django imports, which
  shifts the lines of every function below it but changes no summary; the same module's
  ``capfirst()`` made to HTML-escape its result, which changes its summary (what flows through
  it) so that every file using it must be re-analysed; and a new function added to that module;
- re-scans after a file is added (a new module in ``django/utils`` that imports from
  ``text.py``; nothing imports it yet) and after one is deleted (``django/utils/termcolors.py``,
  which two modules import), each followed by a re-scan of the restored tree. Name resolution
  depends on the set of files; the cache re-analyses only the files whose module lookups get
  a different answer.

``--check`` also runs a scan without the cache after each edit and compares its findings (with
their flows) with the re-scan's: the cache must give exactly what a cold scan gives.

Mamori's package is byte-compiled first, as ``pip install`` leaves an installed package (and
left Bandit's): an editable checkout under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile
its modules from source in every child, a cost of the development set-up, not of the scan.

Wall time is measured around the child; peak memory is the child's maximum resident set size
(``RUSAGE_CHILDREN``; with worker processes it is the largest single process, not the sum).

Usage: python bench/speed/run.py [--jobs N] [--version 5.1.4] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / ".cache"
CPU: list[float] = []
# (label, file, text replaced, replacement): each ``old`` occurs exactly once in Django 5.1.4.
EDITS = (
    (
        "view method body (+1 line)",
        "django/contrib/auth/views.py",
        '        kwargs["request"] = self.request\n',
        '        kwargs["request"] = self.request\n        kwargs.setdefault("prefix", None)\n',
    ),
    (
        "utils/text.py wrap() body (+1 line)",
        "django/utils/text.py",
        "            if line:\n                yield line\n",
        "            if not line:\n                continue\n            yield line\n",
    ),
    (
        "utils/text.py capfirst() escapes (summary)",
        "django/utils/text.py",
        "    return x[0].upper() + x[1:]\n",
        "    return escape(x[0].upper() + x[1:])\n",
    ),
    (
        "utils/text.py new function (+4 lines)",
        "django/utils/text.py",
        "\n\ndef camel_case_to_spaces(value):\n",
        "\n\ndef is_blank(value):\n    return not str(value).strip()\n\n\n"
        "def camel_case_to_spaces(value):\n",
    ),
)

# (label, file, new text or None to delete it): each undone after its re-scan.
FILE_CHANGES = (
    (
        "new module utils/slugs.py",
        "django/utils/slugs.py",
        "from django.utils.text import slugify\n\n\n"
        "def slug_path(*parts):\n"
        '    return "/".join(slugify(p) for p in parts)\n',
    ),
    ("deleted module utils/termcolors.py", "django/utils/termcolors.py", None),
)

SCAN = r"""
import json, os, sys, time
from pathlib import Path
from mamori.scan.interface import ScanOptions, ScanTarget
from mamori.scan.source import SourceFile
from mamori.scan.taint import TaintOptions, analyse_sources
root, jobs, inventory = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
use_cache = len(sys.argv) < 5 or sys.argv[4] == "1"
t0 = time.perf_counter()
if inventory:
    from mamori.scan.inventory import build_target
    target, _ = build_target(root, ScanOptions())
else:
    from mamori.scan.inventory import list_files
    sources = {}
    for rel in list_files(root):  # as mamori scan lists them: git ls-files, else a walk
        if rel.endswith(".py"):
            try:
                sources[rel] = SourceFile(path=rel, text=(root / rel).read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                pass
    target = ScanTarget(root=root, files=tuple(sources), sources=sources)
t1 = time.perf_counter()
result = analyse_sources(
    {p: s.text for p, s in target.sources.items()},
    options=TaintOptions(jobs=jobs),
    sources=target.sources,
    cache_dir=root / ".mamori" / "cache" if use_cache else None,
)
t2 = time.perf_counter()
import hashlib
digest = hashlib.sha256(repr(result.hits).encode()).hexdigest()[:16]  # flows included
places = hashlib.sha256(repr([(h.rule, h.path, h.line) for h in result.hits]).encode())
print(json.dumps({"findings": len(result.hits), "analysed": result.analysed,
                  "not_analysed": len(result.not_analysed), "inventory_s": t1 - t0,
                  "engine_s": t2 - t1, "digest": digest, "places": places.hexdigest()[:16]}))
"""


def fetch(version: str) -> Path:
    tree = CACHE / f"django-{version}"
    if tree.is_dir():
        return tree
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = next(CACHE.glob(f"[Dd]jango-{version}.tar.gz"), None)
    if sdist is None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"django=={version}",
                "-d",
                str(CACHE),
            ],
            check=True,
        )
        sdist = next(CACHE.glob(f"[Dd]jango-{version}.tar.gz"))
    with tarfile.open(sdist) as tar:
        tar.extractall(CACHE / "unpack", filter="data")
    [unpacked] = (CACHE / "unpack").iterdir()  # "Django-5.1.4" or "django-5.1.4"
    shutil.move(unpacked, tree)
    shutil.rmtree(CACHE / "unpack", ignore_errors=True)
    return tree


def byte_compile() -> None:
    """Byte-compile Mamori's package where it is installed (an editable checkout included)."""
    import compileall

    import mamori

    compileall.compile_dir(Path(mamori.__file__).parent, quiet=1)


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stdout) of ``cmd`` run in a fresh process; its CPU time
    (user + system, all its processes) is added to ``CPU`` under the command's first word."""
    # A wrapper process per measurement, so RUSAGE_CHILDREN covers this command only.
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "w = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "rss, cpu = u.ru_maxrss / 1024, u.ru_utime + u.ru_stime\n"
        "print(json.dumps({'wall': w, 'rss': rss, 'cpu': cpu, 'out': p.stdout,"
        " 'err': p.stderr[-3000:], 'rc': p.returncode}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True
    )
    data = json.loads(proc.stdout)
    if data["rc"] not in (0, 1):
        raise SystemExit(f"{cmd[:3]} failed ({data['rc']}): {data['err']}")
    CPU.append(data["cpu"])
    return data["wall"], data["rss"], data["out"]


def rescan(name: str, scan: list[str], m_wall: float, b_wall: float, check: bool) -> int:
    """Time a re-scan of the tree as it is now and print its row; 1 if ``check`` found it
    different from a scan without the cache."""
    r_wall, r_rss, r_out = measure([*scan, "0"])
    r_cpu, rescan = CPU[-1], json.loads(r_out)
    note, differs = "", 0
    if check:
        # Findings compared by rule, place and flow (cold scans are deterministic); the
        # places alone are reported too, to tell a wrong finding from a different flow.
        cold = json.loads(measure([*scan, "0", "0"])[2])
        same = cold["digest"] == rescan["digest"]
        differs = int(not same)
        note = "; same findings and flows as a cold scan" if same else "; DIFFERS from a cold scan"
        if not same and cold["places"] == rescan["places"]:
            note += " (flows only)"
    print(
        f"{'re-scan, ' + name:<46}{r_wall:>9.1f}{r_cpu:>8.1f}{r_rss:>10.0f}"
        f"{r_wall / b_wall:>10.2f}x   = {r_wall / m_wall:.0%} of the cold scan, "
        f"{rescan['analysed']} files re-analysed{note}"
    )
    return differs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="5.1.4")
    parser.add_argument("--jobs", type=int, default=0, help="Mamori worker processes (0: CPUs)")
    parser.add_argument(
        "--check", action="store_true", help="compare each re-scan with a scan without cache"
    )
    args = parser.parse_args()
    source = fetch(args.version)
    byte_compile()
    work = CACHE / "speed-work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work)
    # Its own repository: the inventory lists files with git, and bench/.cache is git-ignored
    # in Mamori's repository.
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    py_files = [p for p in work.rglob("*.py")]
    lines = sum(p.read_bytes().count(b"\n") for p in py_files)
    print(
        f"Django {args.version}: {len(py_files)} Python files, {lines:,} lines; "
        f"{os.cpu_count()} CPUs; Mamori jobs={args.jobs or os.cpu_count()}"
    )

    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    b_wall, b_rss, _ = measure([bandit, "-r", "-q", "-f", "json", "-o", os.devnull, str(work)])
    scan = [sys.executable, "-c", SCAN, str(work), str(args.jobs)]
    shutil.rmtree(work / ".mamori", ignore_errors=True)
    i_wall, i_rss, i_out = measure([*scan, "1"])
    inv = json.loads(i_out)
    # The cold scan last: its cache is the one the re-scans below start from.
    shutil.rmtree(work / ".mamori", ignore_errors=True)
    m_wall, m_rss, m_out = measure([*scan, "0"])
    full = json.loads(m_out)

    print(f"{'run':<46}{'wall s':>9}{'CPU s':>8}{'peak MiB':>10}{'vs Bandit':>11}")
    print(f"{'Bandit':<46}{b_wall:>9.1f}{CPU[0]:>8.1f}{b_rss:>10.0f}{1.0:>10.2f}x")
    print(
        f"{'Mamori taint, cold (no cache)':<46}{m_wall:>9.1f}{CPU[2]:>8.1f}{m_rss:>10.0f}"
        f"{m_wall / b_wall:>10.2f}x   ({full['findings']} findings, "
        f"{full['not_analysed']} not analysed)"
    )
    print(
        f"{'Mamori taint + LibCST inventory, cold':<46}{i_wall:>9.1f}{CPU[1]:>8.1f}{i_rss:>10.0f}"
        f"{i_wall / b_wall:>10.2f}x   (inventory {inv['inventory_s']:.1f}s)"
    )
    mismatches = 0
    for label, rel, old, new in EDITS:
        target = work / rel
        original = target.read_text(encoding="utf-8")
        assert original.count(old) == 1, f"{rel}: the edit no longer applies"
        for name, text in ((label, original.replace(old, new)), ("  and back", original)):
            target.write_text(text, encoding="utf-8")
            mismatches += rescan(name, scan, m_wall, b_wall, args.check)
    for label, rel, added in FILE_CHANGES:
        target = work / rel
        original = target.read_text(encoding="utf-8") if target.exists() else None
        assert (original is None) == (added is not None), f"{rel}: the change no longer applies"
        for name, text in ((label, added), ("  and back", original)):
            if text is None:
                target.unlink()
            else:
                target.write_text(text, encoding="utf-8")
            mismatches += rescan(name, scan, m_wall, b_wall, args.check)
    if mismatches:
        print(f"{mismatches} re-scans differ from a cold scan of the same tree")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
