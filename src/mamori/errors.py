"""Mamori's errors.

One root, :class:`Error`, with a text for people (:meth:`Error.diagnostics`) and an exit code
that the front ends use; only the front ends call ``sys.exit``. Each interface has its own base
error below the root. Exit codes are documented in the README and never reused.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # `mamori scan` found something (like bandit, for CI gating)
    USAGE = 2  # bad command-line options (Click's own code)
    NOT_A_REPOSITORY = 3  # the path does not exist or is not a git repository
    BAD_CONFIG = 4  # mamori.toml or the policy file is invalid
    ENGINE_UNAVAILABLE = 5  # a scan engine is missing or failed
    BAD_INPUT_FILE = 6  # an input document (SARIF import, advisory) is corrupt
    STORE_ERROR = 7  # the state database cannot be opened or migrated
    LEDGER_TAMPERED = 8  # `mamori ledger verify` found an edited, removed or reordered event
    NO_TESTS = 9  # the repository has no runnable tests: patches cannot be auto-accepted
    NOT_FOUND = 10  # unknown finding, patch or run id
    NOT_PERMITTED = 11  # e.g. approving one's own patch (four eyes)
    INCOMPLETE = 12  # some files were not analysed; the result is not "clean"
    GIT_FAILED = 13  # a git operation (worktree, commit, revert) failed
    SANDBOX_UNAVAILABLE = 14  # the sandbox is missing or failed its self-test
    INTERNAL = 70  # a bug: please report it


class Error(Exception):
    """Root of every error Mamori raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostics(self) -> str:
        """A text for people: what is wrong and, where known, how to fix it."""
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class NotARepositoryError(Error):
    exit_code = ExitCode.NOT_A_REPOSITORY


class ConfigError(Error):
    exit_code = ExitCode.BAD_CONFIG


class PolicyError(ConfigError):
    pass


class EngineUnavailableError(Error):
    exit_code = ExitCode.ENGINE_UNAVAILABLE


class BadInputFileError(Error):
    exit_code = ExitCode.BAD_INPUT_FILE


class StoreError(Error):
    exit_code = ExitCode.STORE_ERROR


class LedgerTamperedError(Error):
    exit_code = ExitCode.LEDGER_TAMPERED


class NotFoundError(Error):
    exit_code = ExitCode.NOT_FOUND


class NotPermittedError(Error):
    exit_code = ExitCode.NOT_PERMITTED


class GitError(Error):
    exit_code = ExitCode.GIT_FAILED
