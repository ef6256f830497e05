"""A circuit breaker per backend: after N consecutive failures, refuse calls for a cool-down."""

from __future__ import annotations

import time
from collections.abc import Callable

from mamori.ai.interface import CircuitOpenError


class CircuitBreaker:
    def __init__(
        self,
        *,
        failures: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = failures
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.consecutive = 0
        self.opened_at: float | None = None

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        if self.clock() - self.opened_at >= self.cooldown_s:
            return "half-open"  # one trial call is let through
        return "open"

    def check(self, name: str) -> None:
        if self.state == "open":
            raise CircuitOpenError(
                f"backend {name} failed {self.consecutive} times in a row; "
                f"calls are refused for {self.cooldown_s:.0f}s"
            )

    def success(self) -> None:
        self.consecutive = 0
        self.opened_at = None

    def failure(self) -> None:
        self.consecutive += 1
        if self.consecutive >= self.threshold:
            self.opened_at = self.clock()
