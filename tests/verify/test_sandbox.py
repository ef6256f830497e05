"""mamori.verify.sandbox: the sandbox really holds (network, files, writes, limits, timeout)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import time
from pathlib import Path

import pytest

from mamori.verify.sandbox import (
    OUTPUT_DIR,
    SandboxLimits,
    SandboxSpec,
    SandboxUnavailableError,
    ensure_sandbox,
    run_sandboxed,
)
from mamori.verify.tests import JUnitError, TestRunOptions, parse_junit, run_tests

_REQUIRED = os.environ.get("MAMORI_REQUIRE_SERVICES") == "1"
if shutil.which("bwrap") is None and not _REQUIRED:
    pytest.skip(
        "bubblewrap (bwrap) is not installed: apt-get install bubblewrap "
        "(set MAMORI_REQUIRE_SERVICES=1 to fail instead)",
        allow_module_level=True,
    )


def _run(
    tmp_path: Path, script: str, *args: str, timeout_s: float = 60, **limits: int
) -> tuple[int | None, dict[str, object], str]:
    """Run a Python script in the sandbox; (exit code, the JSON it wrote to out.json, log)."""
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir(exist_ok=True)
    out.mkdir()
    spec = SandboxSpec(
        command=(sys.executable, "-c", script, f"{OUTPUT_DIR}/out.json", *args),
        workdir=work,
        env={"PATH": "/usr/bin:/bin"},
        timeout_s=timeout_s,
        limits=SandboxLimits(**limits),
    )
    log = tmp_path / "log.txt"
    run = run_sandboxed(spec, output=out, log=log)
    result = out / "out.json"
    data = json.loads(result.read_text()) if result.exists() else {}
    return run.exit_code, data, log.read_text(errors="replace")


def test_self_test_passes_and_is_cached() -> None:
    info = ensure_sandbox()
    assert info.ok, info.checks
    assert set(info.checks) >= {
        "uid_not_root",
        "no_capabilities",
        "root_read_only",
        "no_network",
        "shadow_unreadable",
        "home_unreadable",
    }
    assert len(info.digest) == 64
    assert ensure_sandbox() is info  # once per process
    assert "bubblewrap" in info.describe() and info.digest[:16] in info.describe()


def test_network_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        script = (
            "import json, socket, sys\n"
            "r = {}\n"
            "for host in ('127.0.0.1', '10.0.0.1'):\n"
            "    s = socket.socket(); s.settimeout(2)\n"
            "    try:\n"
            "        s.connect((host, int(sys.argv[2]))); r[host] = 'connected'\n"
            "    except OSError as e:\n"
            "        r[host] = type(e).__name__\n"
            "try:\n"
            "    socket.getaddrinfo('example.com', 80); r['dns'] = 'resolved'\n"
            "except OSError as e:\n"
            "    r['dns'] = type(e).__name__\n"
            "json.dump(r, open(sys.argv[1], 'w'))\n"
        )
        code, r, log = _run(tmp_path, script, str(port))
        # Control: the port is reachable from outside the sandbox.
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    assert code == 0, log
    assert r["127.0.0.1"] != "connected"
    assert r["10.0.0.1"] != "connected"
    assert r["dns"] != "resolved"


def test_host_files_are_unreadable(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("host secret")
    script = (
        "import json, os, sys\n"
        "r = {}\n"
        "for p in sys.argv[2:]:\n"
        "    try:\n"
        "        r[p] = os.listdir(p) if os.path.isdir(p) else open(p).read()\n"
        "    except OSError as e:\n"
        "        r[p] = type(e).__name__\n"
        "json.dump(r, open(sys.argv[1], 'w'))\n"
    )
    home = str(Path.home())
    code, r, log = _run(tmp_path, script, str(secret), "/etc/shadow", home, "/proc")
    assert code == 0, log
    assert r[str(secret)] == "FileNotFoundError"  # outside the binds: not even there
    assert r["/etc/shadow"] == "PermissionError"
    # The home holds at most the mount points of the interpreter's binds, never its content.
    seen = r[home]
    real = set(os.listdir(home))
    assert isinstance(seen, str) or len(set(seen)) <= 1 < len(real) or not real
    # Own PID namespace: the host's processes are invisible.
    pids = [p for p in r["/proc"] if p.isdigit()]
    assert 0 < len(pids) <= 3
    assert str(os.getpid()) not in pids


def test_writes_outside_the_output_directory_fail(tmp_path: Path) -> None:
    script = (
        "import json, os, sys\n"
        "r = {}\n"
        "for p in ['/x', '/usr/x', '/etc/x', os.path.join(os.getcwd(), 'x'),\n"
        "          sys.prefix + '/x', '/tmp/x', '/mamori-out/x']:\n"
        "    try:\n"
        "        open(p, 'w').write('x'); r[p] = 'written'\n"
        "    except OSError as e:\n"
        "        r[p] = type(e).__name__\n"
        "json.dump(r, open(sys.argv[1], 'w'))\n"
    )
    code, r, log = _run(tmp_path, script)
    assert code == 0, log
    work = str((tmp_path / "work").resolve())
    assert r["/tmp/x"] == "written"  # the private tmpfs
    assert r["/mamori-out/x"] == "written"
    assert (tmp_path / "out" / "x").read_text() == "x"
    for p in ("/x", "/usr/x", "/etc/x", f"{work}/x", f"{sys.prefix}/x"):
        assert r[p] != "written", p
    assert not (tmp_path / "work" / "x").exists()
    assert not Path(sys.prefix, "x").exists()


def test_a_fork_bomb_is_contained(tmp_path: Path) -> None:
    script = (
        "import json, os, sys, time\n"
        "n = 0\n"
        "err = ''\n"
        "try:\n"
        "    while n < 5000:\n"
        "        pid = os.fork()\n"
        "        if pid == 0:\n"
        "            time.sleep(30); os._exit(0)\n"
        "        n += 1\n"
        "except OSError as e:\n"
        "    err = type(e).__name__\n"
        "json.dump({'forked': n, 'error': err}, open(sys.argv[1], 'w'))\n"
        "os._exit(0)\n"
    )
    started = time.monotonic()
    code, r, log = _run(tmp_path, script, timeout_s=60, processes=64)
    assert code == 0, log
    assert r["error"] == "BlockingIOError"  # EAGAIN from the process limit
    assert isinstance(r["forked"], int) and r["forked"] < 64
    # The sleeping children died with the sandbox instead of keeping the run alive for 30 s.
    assert time.monotonic() - started < 25


def test_a_memory_hog_is_contained(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "try:\n"
        "    hog = bytearray(3 * 1024 ** 3); r = 'allocated'\n"
        "except MemoryError:\n"
        "    r = 'MemoryError'\n"
        "json.dump({'hog': r}, open(sys.argv[1], 'w'))\n"
    )
    code, r, log = _run(tmp_path, script, address_space_bytes=1024**3)
    assert code == 0, log
    assert r["hog"] == "MemoryError"


def test_a_huge_output_file_is_cut_by_the_file_size_limit(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "try:\n"
        "    open('/mamori-out/big', 'wb').write(b'x' * 4 * 1024 * 1024); r = 'written'\n"
        "except OSError as e:\n"
        "    r = type(e).__name__\n"
        "json.dump({'big': r}, open(sys.argv[1], 'w'))\n"
    )
    code, r, log = _run(tmp_path, script, file_size_bytes=1024 * 1024)
    assert code == 0, log
    assert r["big"] == "OSError"  # EFBIG (SIGXFSZ is ignored by Python)
    assert (tmp_path / "out" / "big").stat().st_size <= 1024 * 1024


def test_the_timeout_kills_children(tmp_path: Path) -> None:
    script = (
        "import os, subprocess, sys, time\n"
        "subprocess.Popen(['sh', '-c', 'sleep 3; echo late > /mamori-out/late'],\n"
        "                 start_new_session=True)\n"
        "time.sleep(60)\n"
    )
    started = time.monotonic()
    code, _, _ = _run(tmp_path, script, timeout_s=1)
    assert code is None
    assert time.monotonic() - started < 10
    time.sleep(3.5)
    # The child left its session, yet it died with the sandbox before it could write.
    assert not (tmp_path / "out" / "late").exists()


def test_run_tests_in_the_sandbox_parses_junit_and_scrubs_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-value")
    (tmp_path / "test_env.py").write_text(
        "import os, socket\n"
        "def test_env():\n"
        "    assert 'AWS_SECRET_ACCESS_KEY' not in os.environ\n"
        "    assert os.environ['HOME'] == '/tmp' and os.getuid() != 0\n"
        "def test_fails():\n"
        "    assert False\n"
    )
    summary = run_tests(tmp_path, TestRunOptions(timeout_s=60))
    assert summary.outcomes == {
        "test_env::test_env": "passed",
        "test_env::test_fails": "failed",
    }, summary.detail
    assert not (tmp_path / "__pycache__").exists()  # the tree stayed read-only


def test_a_junit_symlink_to_a_host_file_is_refused(tmp_path: Path) -> None:
    script = "import os, sys; os.symlink('/etc/passwd', sys.argv[1]); sys.exit(1)"
    options = TestRunOptions(command=(sys.executable, "-c", script, "{junitxml}"), timeout_s=60)
    summary = run_tests(tmp_path, options)
    assert summary.exit_code == 1
    assert "JUnit report cannot be read" in summary.detail
    assert summary.outcomes == {}
    link = tmp_path / "link.xml"
    link.symlink_to(tmp_path / "real.xml")
    (tmp_path / "real.xml").write_text("<testsuite/>")
    with pytest.raises(JUnitError, match="cannot be read"):
        parse_junit(link)


def test_run_tests_timeout_in_the_sandbox(tmp_path: Path) -> None:
    options = TestRunOptions(
        command=(sys.executable, "-c", "import time; time.sleep(60)"), timeout_s=1
    )
    started = time.monotonic()
    summary = run_tests(tmp_path, options)
    assert summary.exit_code is None and summary.detail == "timed out after 1 s"
    assert time.monotonic() - started < 15


def test_missing_bubblewrap_refuses_with_a_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    from mamori.verify import sandbox

    monkeypatch.setattr(sandbox, "_cache", {})
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SandboxUnavailableError) as info:
        sandbox.ensure_sandbox()
    text = info.value.diagnostics()
    assert "bwrap" in text and "apt-get install bubblewrap" in text
    assert "--unsafe-no-sandbox" in text
    assert int(info.value.exit_code) == 14
