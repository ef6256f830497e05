"""Printing helpers for the CLI: Rich tables for people, JSON for machines."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape

from mamori.domain import FindingStatus, TestSummary
from mamori.serialize import to_jsonable

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colour, no wrapping), for pipes and scripts."""
    sys.stdout.write(json.dumps(to_jsonable(data), indent=2, sort_keys=False, default=str))
    sys.stdout.write("\n")


@contextmanager
def status(message: str) -> Iterator[Any]:
    """A spinner on stderr while something slow runs; ``update(text)`` changes its text."""
    with err.status(escape(message)) as s:
        yield s


def stage_progress(spinner: Any) -> Callable[[str, str], None]:
    """A pipeline progress callback that shows ``stage: message`` on ``spinner``."""

    def update(stage: str, message: str) -> None:
        spinner.update(escape(f"{stage}: {message}"))

    return update


def sev_style(sev: str) -> str:
    return {
        "critical": "bold red",
        "high": "red",
        "medium": "yellow",
        "low": "cyan",
        "info": "dim",
    }.get(sev, "")


def status_style(st: FindingStatus) -> str:
    return {
        FindingStatus.OPEN: "bold",
        FindingStatus.IN_REVIEW: "yellow",
        FindingStatus.FIX_DELIVERED: "green",
        FindingStatus.FIXED: "green",
        FindingStatus.SUPPRESSED: "dim",
        FindingStatus.FALSE_POSITIVE: "dim",
    }[st]


def tests_text(summary: TestSummary | None) -> str:
    if summary is None:
        return "no tests found"
    text = f"{summary.passed} passed, {summary.failed} failed, {summary.errors} errors"
    if summary.skipped:
        text += f", {summary.skipped} skipped"
    if summary.exit_code is None:
        text += f" ({summary.detail or 'did not finish'})"
    elif summary.detail and not summary.ok:
        text += f" ({summary.detail})"
    return text
