"""A sandbox for untrusted code: the tests of a scanned repository, generated exploits.

Linux only, built on bubblewrap. One run is::

    [unshare --mount (root only: stage the binds)] setpriv --reuid=65534 (root only)
      prlimit (address space, CPU, file size, open files, processes, core 0)
        bwrap --unshare-all --die-with-parent --new-session --clearenv ...

- bubblewrap never starts as root: started by root it keeps its capabilities, and code inside
  could remount ``/`` read-write. When Mamori runs as root it first stages the directories the
  sandbox needs (the interpreter may live under ``/root``, which is 0700) with bind mounts in a
  private mount namespace, then drops to an unprivileged uid with ``setpriv``.
- Inside: no network (own network namespace, loopback only), ``/usr``, ``/etc``, the Python
  interpreter and its site-packages and the working directory read-only, a private size-capped
  tmpfs ``/tmp`` (also ``HOME``), and one writable output directory at :data:`OUTPUT_DIR`.
  Results come back only through that directory; readers must treat them as untrusted.
- A wall-clock timeout kills the whole process group; bubblewrap's ``--die-with-parent`` and its
  PID namespace take every descendant with it.
- A seccomp filter (x86-64 and arm64; bubblewrap's ``--seccomp FD``, built by
  :func:`seccomp_filter`) makes the system calls that attack the kernel or escape the namespaces
  fail with EPERM: ptrace, mount and the new mount API, unshare/setns and clone with namespace
  flags, bpf, keyctl, perf_event_open, io_uring, module loading, kexec, userfaultfd.

:func:`ensure_sandbox` runs a self-test once per process before first use (no network, ``/``
read-only, uid not 0, no capabilities, host secrets unreadable) and raises
:class:`SandboxUnavailableError`, saying what failed and how to fix it, when the sandbox is
missing or does not hold.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mamori.errors import Error, ExitCode

__all__ = [
    "OUTPUT_DIR",
    "SandboxInfo",
    "SandboxLimits",
    "SandboxRun",
    "SandboxSpec",
    "SandboxUnavailableError",
    "ensure_sandbox",
    "read_untrusted",
    "run_sandboxed",
    "seccomp_filter",
]

# Where the writable output directory appears inside the sandbox.
OUTPUT_DIR = "/mamori-out"
# The unprivileged identity the sandbox runs as when Mamori runs as root ("nobody").
SANDBOX_UID = 65534
SANDBOX_GID = 65534
_SYSTEM_DIRS = ("/usr", "/etc")
_SYSTEM_LINKS = ("/bin", "/lib", "/lib32", "/lib64", "/sbin")
_FIX_HINT = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and enable unprivileged user "
    "namespaces (sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu 24.04+ "
    "kernel.apparmor_restrict_unprivileged_userns=0); or, for development only, pass "
    "--unsafe-no-sandbox (nothing it verifies can then be auto-accepted)"
)


class SandboxUnavailableError(Error):
    """The sandbox is missing or failed its self-test: untrusted code will not run."""

    exit_code = ExitCode.SANDBOX_UNAVAILABLE


@dataclass(frozen=True, kw_only=True)
class SandboxLimits:
    """Resource limits for everything inside one sandbox run."""

    address_space_bytes: int = 4 * 1024**3
    cpu_s: int = 900
    file_size_bytes: int = 256 * 1024**2
    open_files: int = 1024
    processes: int = 512
    tmp_bytes: int = 512 * 1024**2


@dataclass(frozen=True, kw_only=True)
class SandboxSpec:
    """One command to run in the sandbox.

    ``workdir`` is bound read-only at its own path and is the working directory. ``ro_paths``
    are more host directories to bind read-only at their own paths. ``env`` is the whole
    environment (nothing else passes).
    """

    command: tuple[str, ...]
    workdir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    ro_paths: tuple[Path, ...] = ()
    timeout_s: float = 600.0
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    # The seccomp filter, on machines it is built for (see seccomp_filter); False: none.
    seccomp: bool = True


@dataclass(frozen=True, kw_only=True)
class SandboxRun:
    """How a sandboxed command ended. ``exit_code`` None: killed by the wall-clock timeout."""

    exit_code: int | None
    duration_s: float
    timed_out: bool = False


@dataclass(frozen=True, kw_only=True)
class SandboxInfo:
    """The sandbox in use and its self-test, for the ledger."""

    kind: str  # e.g. "bubblewrap 0.8.0"
    checks: Mapping[str, str]  # self-test check -> "ok" or why it failed
    digest: str  # sha256 of the self-test result

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(v == "ok" for v in self.checks.values())

    def describe(self) -> str:
        uid = SANDBOX_UID if os.geteuid() == 0 else os.geteuid()
        seccomp = ", seccomp" if self.checks.get("seccomp_filter") == "ok" else ""
        return (
            f"sandbox {self.kind} (uid {uid}, no network, read-only system and tree, "
            f"tmpfs /tmp, rlimits{seccomp}); self-test passed sha256:{self.digest[:16]}"
        )


# --- seccomp ---------------------------------------------------------------------------------

# Classic BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_JGE_K = 0x35
_BPF_JSET_K = 0x45
_BPF_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6].
_OFF_NR, _OFF_ARCH, _OFF_ARG0 = 0, 4, 16
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET.
_CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
_CLONE_NAMESPACES |= 0x20000000 | 0x40000000
_X32_SYSCALL_BIT = 0x40000000
# Blocked system calls (always EPERM), by name, and their numbers per architecture:
# (AUDIT_ARCH_*, {name: number}, clone, clone3). Numbers from asm/unistd_64.h (x86-64) and
# asm-generic/unistd.h (arm64).
SECCOMP_BLOCKED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root",
    "unshare", "setns", "bpf", "keyctl", "add_key", "request_key", "perf_event_open",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module", "userfaultfd", "open_by_handle_at",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    "swapon", "swapoff", "reboot", "acct", "quotactl", "lookup_dcookie",
)  # fmt: skip
_X86_64 = (
    101, 310, 311, 165, 166, 155, 272, 308, 321, 250, 248, 249, 298, 425, 426, 427, 246, 320,
    175, 313, 176, 323, 304, 428, 429, 430, 431, 432, 433, 442, 167, 168, 169, 163, 179, 212,
)  # fmt: skip
_ARM64 = (
    117, 270, 271, 40, 39, 41, 97, 268, 280, 219, 217, 218, 241, 425, 426, 427, 104, 294,
    105, 273, 106, 282, 265, 428, 429, 430, 431, 432, 433, 442, 224, 225, 142, 89, 60, 18,
)  # fmt: skip
SECCOMP_ARCHES: dict[str, tuple[int, dict[str, int], int, int]] = {
    "x86_64": (0xC000003E, dict(zip(SECCOMP_BLOCKED, _X86_64, strict=True)), 56, 435),
    "aarch64": (0xC00000B7, dict(zip(SECCOMP_BLOCKED, _ARM64, strict=True)), 220, 435),
}


def seccomp_filter(machine: str | None = None) -> bytes | None:
    """The compiled classic-BPF seccomp program (the form bubblewrap's ``--seccomp`` reads) for
    ``machine`` (default: this one's ``platform.machine()``); None when not built for it.

    Allows everything except: the calls in :data:`SECCOMP_BLOCKED` and ``clone`` with a
    namespace flag fail with EPERM; ``clone3`` fails with ENOSYS (its flags live in memory a
    filter cannot read, and the C library then falls back to ``clone``); any other ABI (x32,
    32-bit compat) fails with EPERM.
    """
    entry = SECCOMP_ARCHES.get(machine or platform.machine())
    if entry is None:
        return None
    arch, numbers, clone, clone3 = entry
    # (opcode, k, jump-if-true label, jump-if-false label); labels resolve to relative offsets.
    code: list[tuple[int, int, str, str]] = [
        (_BPF_LD_W_ABS, _OFF_ARCH, "", ""),
        (_BPF_JEQ_K, arch, "", "deny"),
        (_BPF_LD_W_ABS, _OFF_NR, "", ""),
    ]
    if arch == SECCOMP_ARCHES["x86_64"][0]:
        code.append((_BPF_JGE_K, _X32_SYSCALL_BIT, "deny", ""))
    for nr in sorted(set(numbers.values())):
        code.append((_BPF_JEQ_K, nr, "deny", ""))
    code.append((_BPF_JEQ_K, clone3, "enosys", ""))
    code.append((_BPF_JEQ_K, clone, "", "allow"))
    code.append((_BPF_LD_W_ABS, _OFF_ARG0, "", ""))  # clone's flags (the low 32 bits)
    code.append((_BPF_JSET_K, _CLONE_NAMESPACES, "deny", "allow"))
    labels = {"allow": len(code), "deny": len(code) + 1, "enosys": len(code) + 2}
    code += [
        (_BPF_RET_K, _RET_ALLOW, "", ""),
        (_BPF_RET_K, _RET_ERRNO | errno.EPERM, "", ""),
        (_BPF_RET_K, _RET_ERRNO | errno.ENOSYS, "", ""),
    ]
    out = bytearray()
    for i, (op, k, jt, jf) in enumerate(code):
        rel = [labels[t] - i - 1 if t else 0 for t in (jt, jf)]
        assert all(0 <= r <= 255 for r in rel), "seccomp jump out of range"
        out += struct.pack("=HBBI", op, rel[0], rel[1], k)
    return bytes(out)


# --- running ---------------------------------------------------------------------------------


def _python_paths() -> list[Path]:
    """The interpreter, its standard library and its site-packages."""
    paths: list[Path] = []
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        path = Path(p).resolve()
        if not any(path.is_relative_to(q) for q in paths):
            paths = [q for q in paths if not q.is_relative_to(path)] + [path]
    return paths


def _binds(spec: SandboxSpec) -> list[Path]:
    """Host directories bound read-only at their own path (beyond the system directories)."""
    out: list[Path] = []
    for p in [*_python_paths(), *spec.ro_paths, spec.workdir]:
        path = Path(p).resolve()
        if any(path.is_relative_to(s) for s in _SYSTEM_DIRS):
            continue
        if path not in out:
            out.append(path)
    return out


def _prlimit(limits: SandboxLimits) -> list[str]:
    return [
        "prlimit",
        f"--as={limits.address_space_bytes}",
        f"--cpu={limits.cpu_s}",
        f"--fsize={limits.file_size_bytes}",
        f"--nofile={limits.open_files}",
        f"--nproc={limits.processes}",
        "--core=0",
        "--",
    ]


def _bwrap_args(
    spec: SandboxSpec, binds: Sequence[tuple[Path, Path]], output: Path, seccomp_fd: int | None
) -> list[str]:
    args = [
        "bwrap",
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    for d in _SYSTEM_DIRS:
        if Path(d).is_dir():
            args += ["--ro-bind", d, d]
    for link in _SYSTEM_LINKS:
        p = Path(link)
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), link]
        elif p.is_dir():
            args += ["--ro-bind", link, link]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--size", str(spec.limits.tmp_bytes), "--tmpfs", "/tmp"]
    for source, dest in binds:
        args += ["--ro-bind", str(source), str(dest)]
    args += ["--bind", str(output), OUTPUT_DIR]
    # The binds make / read-only everywhere else; remount the root tmpfs read-only too.
    args += ["--remount-ro", "/"]
    env = {"HOME": "/tmp", "TMPDIR": "/tmp", **spec.env}
    for k, v in sorted(env.items()):
        args += ["--setenv", k, v]
    args += ["--chdir", str(spec.workdir.resolve()), "--"]
    return args + list(spec.command)


# Run as root in a private mount namespace: bind each staged source on its mount point, then
# exec the rest (setpriv ...). Pairs of arguments up to "--".
_STAGE_SCRIPT = (
    'set -e; while [ "$1" != "--" ]; do mount --bind "$1" "$2"; shift 2; done; shift; exec "$@"'
)


def _command(
    spec: SandboxSpec, scratch: Path, output: Path, seccomp_fd: int | None = None
) -> list[str]:
    """The full host command line for ``spec`` (``seccomp_fd``: an inherited descriptor of the
    compiled filter, passed through every step to bubblewrap)."""
    binds = _binds(spec)
    if os.geteuid() != 0:
        pairs = [(b, b) for b in binds]
        return _prlimit(spec.limits) + _bwrap_args(spec, pairs, output, seccomp_fd)
    stage: list[str] = []
    pairs = []
    for i, b in enumerate(binds):
        mount_point = scratch / f"bind{i}"
        mount_point.mkdir(mode=0o755)
        stage += [str(b), str(mount_point)]
        pairs.append((mount_point, b))
    # The output directory sits in a 0700 directory of the caller: stage it too.
    staged_output = scratch / "output"
    staged_output.mkdir(mode=0o755)
    stage += [str(output), str(staged_output)]
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        _STAGE_SCRIPT,
        "sh",
        *stage,
        "--",
        "setpriv",
        f"--reuid={SANDBOX_UID}",
        f"--regid={SANDBOX_GID}",
        "--clear-groups",
        "--inh-caps=-all",
        "--",
        *_prlimit(spec.limits),
        *_bwrap_args(spec, pairs, staged_output, seccomp_fd),
    ]


def _kill_group(pgid: int) -> None:
    # The group is usually gone already; that is the ordinary case, not an error.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def prepare_output_dir(path: Path) -> None:
    """Make ``path`` (created by the caller) writable by the sandbox user, and only by it."""
    if os.geteuid() == 0:
        os.chown(path, SANDBOX_UID, SANDBOX_GID)
    path.chmod(0o700)


def share_read_only(tree: Path) -> None:
    """Let the sandbox user read ``tree`` (add o+r to files, o+rx to directories).

    Only for trees Mamori owns (its temporary worktrees): the unprivileged sandbox user reads
    them through the permissions of each file. Never adds write permission.
    """
    for dirpath, dirnames, filenames in os.walk(tree):
        d = Path(dirpath)
        _add_mode(d, stat.S_IROTH | stat.S_IXOTH)
        for name in filenames:
            _add_mode(d / name, stat.S_IROTH)
        for name in dirnames:
            if (d / name).is_symlink():
                continue  # os.walk does not descend into it; the link itself has no mode


def _add_mode(path: Path, bits: int) -> None:
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode) or (st.st_mode & bits) == bits:
        return
    path.chmod(stat.S_IMODE(st.st_mode) | bits)


def run_sandboxed(spec: SandboxSpec, *, output: Path, log: Path) -> SandboxRun:
    """Run ``spec`` in the sandbox; stdout and stderr go to ``log`` (bounded by the file-size
    limit), files the command writes under :data:`OUTPUT_DIR` land in ``output``.

    ``output`` must be a fresh directory inside a directory only the caller can write. When
    Mamori runs as root, ``spec.workdir`` is made world-readable (:func:`share_read_only`): it
    must be a tree Mamori owns. Does not run the self-test: call :func:`ensure_sandbox` first.
    """
    scratch = Path(tempfile.mkdtemp(prefix="mamori-sandbox-"))
    seccomp_fd: int | None = None
    try:
        scratch.chmod(0o711)
        prepare_output_dir(output)
        if os.geteuid() == 0:
            share_read_only(spec.workdir)
        program = seccomp_filter() if spec.seccomp else None
        if program is not None:
            (scratch / "seccomp.bpf").write_bytes(program)
            seccomp_fd = os.open(scratch / "seccomp.bpf", os.O_RDONLY)
        command = _command(spec, scratch, output, seccomp_fd)
        started = time.monotonic()
        with log.open("wb") as out:
            try:
                proc = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    env={"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8"},
                    pass_fds=() if seccomp_fd is None else (seccomp_fd,),
                )
            except OSError as e:
                raise SandboxUnavailableError(
                    f"the sandbox could not start: {e}", hint=_FIX_HINT
                ) from e
            try:
                code: int | None = proc.wait(timeout=spec.timeout_s)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid)
                proc.wait()
                code = None
            finally:
                _kill_group(proc.pid)
        return SandboxRun(
            exit_code=code, duration_s=time.monotonic() - started, timed_out=code is None
        )
    finally:
        if seccomp_fd is not None:
            os.close(seccomp_fd)
        shutil.rmtree(scratch, ignore_errors=True)


# --- self-test -------------------------------------------------------------------------------

# Runs inside the sandbox; argv: output file, a host port that listens, the caller's home, the
# working directory, the home entries to hide, "1" when a seccomp filter applies. Each check
# writes "ok" or what went wrong.
_SELF_TEST = r"""
import json, os, socket, sys
out, port, home, workdir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
r = {}
r["uid_not_root"] = "ok" if os.getuid() != 0 and os.geteuid() != 0 else f"uid {os.getuid()}"
cap = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff:")]
r["no_capabilities"] = "ok" if cap and int(cap[0], 16) == 0 else f"CapEff {cap}"
def cannot_write(path):
    try:
        with open(path, "w") as f:
            f.write("x")
    except OSError:
        return "ok"
    return f"{path} is writable"
r["root_read_only"] = cannot_write("/mamori-selftest")
r["system_read_only"] = cannot_write("/usr/mamori-selftest")
r["workdir_read_only"] = cannot_write(os.path.join(workdir, "mamori-selftest"))
def unreadable(path):
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
    except OSError:
        return "ok"
    return f"{path} is readable"
r["shadow_unreadable"] = unreadable("/etc/shadow")
# The home may hold the mount point of a bind (an interpreter under /root): then only the host
# entries that are not on the way to a bind are expected to be invisible.
hidden = json.loads(sys.argv[5])
seen = [n for n in hidden if os.path.lexists(os.path.join(home, n))]
r["home_unreadable"] = unreadable(home) if not hidden else (
    "ok" if not seen else f"{home} shows host entries {seen[:5]}")
s = socket.socket()
s.settimeout(2)
try:
    s.connect(("127.0.0.1", port))
    r["no_network"] = f"connected to the host's 127.0.0.1:{port}"
except OSError:
    r["no_network"] = "ok"
ifaces = [l.split(":")[0].strip() for l in open("/proc/net/dev").readlines()[2:]]
if any(i != "lo" for i in ifaces):
    r["no_network"] = f"network interfaces {ifaces}"
if sys.argv[6] == "1":
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    bad = []
    # Without the filter both succeed here (PTRACE_TRACEME; a nested user namespace).
    for name, call in (("ptrace", lambda: libc.ptrace(0, 0, None, None)),
                       ("unshare", lambda: libc.unshare(0x10000000))):
        ctypes.set_errno(0)
        rc = call()
        if rc != -1 or ctypes.get_errno() != 1:
            bad.append(f"{name} returned {rc} (errno {ctypes.get_errno()})")
    r["seccomp_filter"] = "ok" if not bad else "; ".join(bad)
with open(out, "w") as f:
    json.dump(r, f)
"""

_lock = threading.Lock()
# The self-test result, once per process (key "info").
_cache: dict[str, SandboxInfo] = {}


def _bwrap_version() -> str:
    try:
        proc = subprocess.run(
            ["bwrap", "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise SandboxUnavailableError(
            f"bubblewrap (bwrap) is not usable: {e}", hint=_FIX_HINT
        ) from e
    return proc.stdout.strip() or "bubblewrap"


def self_test() -> SandboxInfo:
    """Run the self-test now (uncached). Never raises for a failing check: see ``checks``."""
    for tool in ("bwrap", "prlimit", *(("unshare", "setpriv") if os.geteuid() == 0 else ())):
        if shutil.which(tool) is None:
            raise SandboxUnavailableError(
                f"the sandbox needs {tool!r}, which is not installed", hint=_FIX_HINT
            )
    kind = _bwrap_version()
    scratch = Path(tempfile.mkdtemp(prefix="mamori-selftest-"))
    listener = socket.socket()
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        workdir, output = scratch / "work", scratch / "out"
        workdir.mkdir()
        output.mkdir()
        workdir.chmod(0o755)
        scratch.chmod(0o711)
        spec = SandboxSpec(
            command=(
                sys.executable,
                "-I",
                "-c",
                _SELF_TEST,
                f"{OUTPUT_DIR}/selftest.json",
                str(port),
                str(Path.home()),
                str(workdir),
                json.dumps(_home_entries(workdir)),
                "1" if seccomp_filter() is not None else "0",
            ),
            workdir=workdir,
            env={"PATH": "/usr/bin:/bin"},
            timeout_s=60,
        )
        log = scratch / "log.txt"
        run = run_sandboxed(spec, output=output, log=log)
        result = output / "selftest.json"
        checks: dict[str, str]
        try:
            raw = read_untrusted(result, 64 * 1024)
            loaded = json.loads(raw)
            checks = {str(k): str(v) for k, v in loaded.items()}
        except (OSError, ValueError) as e:
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:].strip()
            checks = {"sandbox_starts": f"exit {run.exit_code}; {e}; output: {tail}"}
    finally:
        listener.close()
        shutil.rmtree(scratch, ignore_errors=True)
    blob = json.dumps({"kind": kind, "checks": checks}, sort_keys=True).encode()
    return SandboxInfo(kind=kind, checks=checks, digest=hashlib.sha256(blob).hexdigest())


def _home_entries(workdir: Path) -> list[str]:
    """Entries of the caller's home the sandbox must not show ([] when no bind passes through
    the home: then the home must not be readable at all)."""
    home = Path.home().resolve()
    on_the_way = {
        b.relative_to(home).parts[0]
        for b in _binds(SandboxSpec(command=(), workdir=workdir))
        if b.is_relative_to(home) and b != home
    }
    if not on_the_way:
        return []
    try:
        names = sorted(os.listdir(home))
    except OSError:
        return []
    return [n for n in names if n not in on_the_way][:50] or ["mamori-no-such-entry"]


def read_untrusted(path: Path, limit: int) -> bytes:
    """The bytes of a file the sandbox wrote. Raises ValueError unless it is a regular file (not
    a symlink to a host file, not a FIFO) of at most ``limit`` bytes; OSError when unreadable."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"{path.name} is not a regular file")
        if st.st_size > limit:
            raise ValueError(f"{path.name} is too large ({st.st_size} bytes > {limit})")
        return f.read(limit + 1)[:limit]


def ensure_sandbox() -> SandboxInfo:
    """The sandbox, self-tested once per process. Raises :class:`SandboxUnavailableError`
    (naming the failed checks and how to fix them) when it is missing or does not hold."""
    with _lock:
        info = _cache.get("info")
        if info is None:
            info = _cache["info"] = self_test()
    if not info.ok:
        failed = "; ".join(f"{k}: {v}" for k, v in info.checks.items() if v != "ok")
        raise SandboxUnavailableError(
            f"the sandbox failed its self-test ({failed}); Mamori will not run untrusted code",
            hint=_FIX_HINT,
        )
    return info
