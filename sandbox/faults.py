"""Fault injection: make chosen Bot API calls fail, slow down or lose their connection."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from sandbox.errors import ApiError

_DESCRIPTIONS = {
    400: "Bad Request: injected fault",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class FaultRule:
    method: str | None = None
    code: int | None = None
    description: str | None = None
    retry_after: int | None = None
    count: int | None = None
    rate: float | None = None
    latency: float = 0.0
    drop: bool = False
    seed: int | None = None
    hits: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if self.code is None and not self.latency and not self.drop:
            raise ValueError("a fault needs a code, a latency or drop=True")
        if self.count is None and self.rate is None:
            self.count = 1
        if self.rate is not None and not 0 <= self.rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if self.code == 429 and self.retry_after is None:
            self.retry_after = 1
        self._rng = random.Random(self.seed)

    def matches(self, method: str) -> bool:
        return self.method is None or self.method.lower() == method.lower()

    def fire(self) -> bool:
        if self.count is not None and self.count <= 0:
            return False
        if self.rate is not None and self._rng.random() >= self.rate:
            return False
        if self.count is not None:
            self.count -= 1
        self.hits += 1
        return True

    @property
    def exhausted(self) -> bool:
        return self.count is not None and self.count <= 0 and self.rate is None

    def error(self) -> ApiError | None:
        if self.code is None:
            return None
        template = self.description or _DESCRIPTIONS.get(self.code, "Injected fault")
        description = template.format(retry_after=self.retry_after)
        parameters = {"retry_after": self.retry_after} if self.code == 429 else None
        return ApiError(self.code, description, parameters)

    def to_json(self) -> dict[str, Any]:
        return {key: value for key, value in {
            "method": self.method, "code": self.code, "description": self.description,
            "retry_after": self.retry_after, "count": self.count, "rate": self.rate, "latency": self.latency,
            "drop": self.drop, "seed": self.seed, "hits": self.hits,
        }.items() if value is not None}


class Faults:
    """`sb.faults.add(method="sendMessage", code=429, retry_after=3, count=1)`."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(self, method: str | None = None, code: int | None = None, *, retry_after: int | None = None,
            count: int | None = None, rate: float | None = None, latency: float = 0.0, drop: bool = False,
            description: str | None = None, seed: int | None = None) -> FaultRule:
        rule = FaultRule(method=method, code=code, description=description, retry_after=retry_after, count=count,
                         rate=rate, latency=latency, drop=drop, seed=seed)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def take(self, method: str) -> list[FaultRule]:
        """The rules firing for this call (used-up rules are removed)."""
        fired = [rule for rule in self.rules if rule.matches(method) and rule.fire()]
        self.rules = [rule for rule in self.rules if not rule.exhausted]
        return fired
