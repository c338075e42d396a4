"""Injected failures and latency for the real endpoints."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass
class FaultRule:
    status: int
    count: int | None = None  # fail this many matching requests, then stop
    rate: float | None = None  # fail each matching request with this probability
    retry_after: float | None = None
    methods: frozenset[str] | None = None
    path_prefix: str = "/v1/"
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.methods is not None and method.upper() not in self.methods:
            return False
        if not path.startswith(self.path_prefix):
            return False
        return self.count is None or self.hits < self.count

    def exhausted(self) -> bool:
        return self.count is not None and self.hits >= self.count


@dataclass
class Latency:
    seconds: float
    path_prefix: str = "/v1/"
    after: bool = False  # the request is carried out first, then its answer is late


class Faults:
    """Rules are tried in the order they were added; the first that fires wins."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rules: list[FaultRule] = []
        self.latency: list[Latency] = []

    def add(self, rule: FaultRule) -> None:
        self.rules.append(rule)

    def clear(self) -> None:
        self.rules.clear()

    def set_latency(self, seconds: float, path_prefix: str = "/v1/", after: bool = False) -> None:
        self.latency = [lat for lat in self.latency if lat.path_prefix != path_prefix]
        if seconds > 0:
            self.latency.append(Latency(seconds, path_prefix, after))

    def delay_for(self, path: str, *, after: bool = False) -> float:
        return max(
            (
                lat.seconds
                for lat in self.latency
                if path.startswith(lat.path_prefix) and lat.after == after
            ),
            default=0.0,
        )

    def fire(self, method: str, path: str) -> FaultRule | None:
        for rule in self.rules:
            if not rule.matches(method, path):
                continue
            if rule.rate is not None and self.rng.random() >= rule.rate:
                continue
            rule.hits += 1
            return rule
        self.rules = [r for r in self.rules if not r.exhausted()]
        return None
