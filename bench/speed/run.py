"""Speed benchmark: Mamori's taint engine against Bandit on Django, measured in the same run.

Downloads the Django sdist from PyPI once (``pip download``, into the git-ignored
``bench/.cache``), unpacks it, and times, each in a fresh child process:

- Bandit on the tree (``bandit -r -q -f json``);
- Mamori's taint engine on the tree from disk (read, parse, analyse in worker processes, write
  the per-file cache), cold: no cache;
- the same with the shared LibCST inventory in front (``build_target``: what ``mamori scan``
  does before any engine runs), cold;
- re-scans after a one-line edit of one file, with the cache of the full scan: a view module
  few files import, and a utility module much of Django imports.

Wall time is measured around the child; peak memory is the child's maximum resident set size
(``RUSAGE_CHILDREN``; with worker processes it is the largest single process, not the sum).

Usage: python bench/speed/run.py [--jobs N] [--version 5.1.4]
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
EDITS = ("django/contrib/auth/views.py", "django/utils/text.py")

SCAN = r"""
import json, os, sys, time
from pathlib import Path
from mamori.scan.interface import ScanOptions, ScanTarget
from mamori.scan.source import SourceFile
from mamori.scan.taint import TaintOptions, analyse_sources
root, jobs, inventory = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
t0 = time.perf_counter()
if inventory:
    from mamori.scan.inventory import build_target
    target, _ = build_target(root, ScanOptions())
else:
    sources = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".mamori"]
        for name in filenames:
            if name.endswith(".py"):
                full = Path(dirpath) / name
                rel = full.relative_to(root).as_posix()
                try:
                    sources[rel] = SourceFile(path=rel, text=full.read_text(encoding="utf-8"))
                except (UnicodeDecodeError, OSError):
                    pass
    target = ScanTarget(root=root, files=tuple(sources), sources=sources)
t1 = time.perf_counter()
result = analyse_sources(
    {p: s.text for p, s in target.sources.items()},
    options=TaintOptions(jobs=jobs),
    sources=target.sources,
    cache_dir=root / ".mamori" / "cache",
)
t2 = time.perf_counter()
print(json.dumps({"findings": len(result.hits), "analysed": result.analysed,
                  "not_analysed": len(result.not_analysed), "inventory_s": t1 - t0,
                  "engine_s": t2 - t1}))
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="5.1.4")
    parser.add_argument("--jobs", type=int, default=0, help="Mamori worker processes (0: CPUs)")
    args = parser.parse_args()
    source = fetch(args.version)
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
    for rel in EDITS:
        target = work / rel
        original = target.read_text(encoding="utf-8")
        target.write_text(original + "\n\ndef _bench_edit():\n    return 1\n", encoding="utf-8")
        r_wall, r_rss, r_out = measure([*scan, "0"])
        r_cpu = CPU[-1]
        target.write_text(original, encoding="utf-8")
        measure([*scan, "0"])  # back to the cached state of the full scan
        print(
            f"{'re-scan after editing ' + rel:<46}{r_wall:>9.1f}{r_cpu:>8.1f}{r_rss:>10.0f}"
            f"{r_wall / b_wall:>10.2f}x   = {r_wall / m_wall:.0%} of the cold scan, "
            f"{json.loads(r_out)['analysed']} files re-analysed"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
