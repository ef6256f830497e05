"""mamori.verify.sandbox.seccomp_filter: the generated BPF program, run by a small classic-BPF
interpreter for every architecture it is built for, and enforced by the real kernel in the
real sandbox."""

from __future__ import annotations

import errno
import json
import os
import platform
import re
import shutil
import struct
import sys
from pathlib import Path

import pytest

from mamori.verify.sandbox import (
    OUTPUT_DIR,
    SECCOMP_ARCHES,
    SECCOMP_BLOCKED,
    SandboxSpec,
    ensure_sandbox,
    run_sandboxed,
    seccomp_filter,
)

ALLOW = 0x7FFF0000
EPERM = 0x00050000 | errno.EPERM
ENOSYS = 0x00050000 | errno.ENOSYS
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
SIGCHLD = 17
THREAD_FLAGS = 0x003D0F00  # what pthread_create passes (CLONE_VM | CLONE_FS | ... | SETTLS)


def run_bpf(program: bytes, *, arch: int, nr: int, args: tuple[int, ...] = ()) -> int:
    """Evaluate a classic-BPF seccomp program on one system call (the opcodes it may use)."""
    data = struct.pack("=iIQ6Q", nr, arch, 0, *(list(args) + [0] * (6 - len(args))))
    ins = [struct.unpack_from("=HBBI", program, i) for i in range(0, len(program), 8)]
    pc, acc = 0, 0
    for _ in range(len(ins) + 1):
        code, jt, jf, k = ins[pc]
        if code == 0x20:  # BPF_LD | BPF_W | BPF_ABS
            (acc,) = struct.unpack_from("=I", data, k)
            pc += 1
        elif code in (0x15, 0x35, 0x45):  # JEQ, JGE, JSET with a constant
            hit = {0x15: acc == k, 0x35: acc >= k, 0x45: bool(acc & k)}[code]
            pc += 1 + (jt if hit else jf)
        elif code == 0x06:  # BPF_RET | BPF_K
            return k
        else:
            raise AssertionError(f"unexpected opcode {code:#x} at {pc}")
    raise AssertionError("the program does not terminate")


@pytest.mark.parametrize("machine", sorted(SECCOMP_ARCHES))
def test_the_filter_blocks_exactly_the_listed_calls(machine: str) -> None:
    program = seccomp_filter(machine)
    assert program is not None and len(program) % 8 == 0
    arch, numbers, clone, clone3 = SECCOMP_ARCHES[machine]
    assert set(numbers) == set(SECCOMP_BLOCKED)
    for name, nr in numbers.items():
        assert run_bpf(program, arch=arch, nr=nr) == EPERM, name
    blocked = set(numbers.values()) | {clone, clone3}
    # Every other call number (read, write, openat, execve, ...) is allowed.
    for nr in range(0, 460):
        if nr not in blocked:
            assert run_bpf(program, arch=arch, nr=nr) == ALLOW, nr
    # clone: a fork or a thread is allowed, a new namespace is not; clone3 falls back to clone.
    assert run_bpf(program, arch=arch, nr=clone, args=(SIGCHLD,)) == ALLOW
    assert run_bpf(program, arch=arch, nr=clone, args=(THREAD_FLAGS,)) == ALLOW
    assert run_bpf(program, arch=arch, nr=clone, args=(CLONE_NEWUSER | SIGCHLD,)) == EPERM
    assert run_bpf(program, arch=arch, nr=clone, args=(CLONE_NEWNET,)) == EPERM
    assert run_bpf(program, arch=arch, nr=clone3) == ENOSYS
    # Another ABI (32-bit compat, the other architecture) gets nothing through.
    assert run_bpf(program, arch=0x40000003, nr=0) == EPERM
    if machine == "x86_64":
        assert run_bpf(program, arch=arch, nr=0x40000000 | 0) == EPERM  # x32 read


def test_the_syscall_numbers_match_this_machines_headers() -> None:
    """The numbers in the table are the kernel's (checked against the installed headers)."""
    headers = {
        "x86_64": Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
        "aarch64": Path("/usr/include/asm-generic/unistd.h"),
    }
    checked = 0
    for machine, header in headers.items():
        if not header.exists():
            continue
        text = header.read_text()
        _, numbers, clone, clone3 = SECCOMP_ARCHES[machine]
        for name, nr in {**numbers, "clone": clone, "clone3": clone3}.items():
            pattern = rf"^#define __NR(?:3264)?_{name}\s+{nr}$"
            assert re.search(pattern, text, re.M), (machine, name, nr)
            checked += 1
    if not checked:
        pytest.skip("no kernel headers installed (apt-get install linux-libc-dev)")


def test_an_unknown_machine_gets_no_filter() -> None:
    assert seccomp_filter("riscv64") is None


# Tries each call by number inside the sandbox; argv: output file, numbers as JSON.
_PROBE = r"""
import ctypes, json, os, subprocess, sys, threading
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = {}
for name, (nr, args) in json.loads(sys.argv[2]).items():
    ctypes.set_errno(0)
    rc = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    if rc == 0 and name == "clone_newuser":
        os._exit(0)  # the child of a clone that went through
    r[name] = 0 if rc >= 0 else ctypes.get_errno()
t = threading.Thread(target=lambda: r.setdefault("thread", 0))
t.start(); t.join()
r["subprocess"] = subprocess.run(["/bin/true"]).returncode
json.dump(r, open(sys.argv[1], "w"))
"""


@pytest.mark.skipif(
    platform.machine() != "x86_64" or not shutil.which("bwrap"),
    reason="the probe uses x86-64 call numbers and needs bubblewrap",
)
@pytest.mark.parametrize("seccomp", [True, False])
def test_the_kernel_enforces_the_filter_in_the_sandbox(tmp_path: Path, seccomp: bool) -> None:
    ensure_sandbox()
    _, numbers, clone, _ = SECCOMP_ARCHES["x86_64"]
    probes: dict[str, tuple[int, list[int]]] = {
        # PTRACE_PEEKDATA on a process we do not trace: ESRCH, unless the filter says EPERM.
        "ptrace_peek": (numbers["ptrace"], [2, 1, 0, 0]),
        "unshare_newuser": (numbers["unshare"], [CLONE_NEWUSER]),
        "clone_newuser": (clone, [CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0]),
        "io_uring_setup": (numbers["io_uring_setup"], [1, 0]),
        "bpf": (numbers["bpf"], [0, 0, 0]),
        "keyctl": (numbers["keyctl"], [0, 0, 0]),
        "perf_event_open": (numbers["perf_event_open"], [0, 0, -1, -1, 0]),
    }
    if not seccomp:
        del probes["clone_newuser"]  # it would go through: a raw fork of the interpreter
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir()
    out.mkdir()
    spec = SandboxSpec(
        command=(sys.executable, "-c", _PROBE, f"{OUTPUT_DIR}/out.json", json.dumps(probes)),
        workdir=work,
        env={"PATH": "/usr/bin:/bin"},
        timeout_s=60,
        seccomp=seccomp,
    )
    log = tmp_path / "log.txt"
    run = run_sandboxed(spec, output=out, log=log)
    assert run.exit_code == 0, log.read_text(errors="replace")
    r = json.loads((out / "out.json").read_text())
    # Ordinary work goes on: threads, fork and exec.
    assert r["thread"] == 0 and r["subprocess"] == 0
    if seccomp:
        assert {k: r[k] for k in probes} == dict.fromkeys(probes, errno.EPERM)
    else:
        # The control: without the filter the harmless calls go through (or fail otherwise).
        assert r["ptrace_peek"] == errno.ESRCH
        assert r["unshare_newuser"] == 0
        assert r["io_uring_setup"] != errno.EPERM or r["bpf"] != errno.EPERM


def test_the_self_test_checks_the_filter() -> None:
    if seccomp_filter() is None or not shutil.which("bwrap"):
        pytest.skip("no filter for this machine, or no bubblewrap")
    info = ensure_sandbox()
    assert info.checks["seccomp_filter"] == "ok"
    assert "seccomp" in info.describe()
    assert os.geteuid() == 0 or info.checks["uid_not_root"] == "ok"
