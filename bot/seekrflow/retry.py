"""When to try a SeekrFlow call again, and how long to wait first.

A small loop rather than a retry library: stamina stops on elapsed time only
after a sleep has already overrun its timeout, and tenacity would need a
custom wait, stop and predicate to honour Retry-After inside a total budget;
the loop below is shorter than that wiring.

Rules:
- Only idempotent calls (GET) are retried: on the statuses in
  ``RetryPolicy.statuses`` (429, 500, 502, 503, 504), on connection failures
  and on read timeouts (a GET changes nothing, so asking again is safe).
- A call that changes something (PATCH, cancel) is tried again at most once,
  and only when the connection failed before any byte of the request left
  (connect refused or timed out, no free pooled connection).
- A change's read timeout is never retried: the server may have made it.
- No sleep ever ends past the budget: a retry starts only if, after its wait,
  at least ``MIN_ATTEMPT_SECONDS`` of the budget remain, and its timeout is
  cut to what remains. If the server's Retry-After is longer than that, the
  caller gets ``RateLimited`` at once.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx

from .errors import RateLimited, SeekrFlowError, ServerError, Unavailable

T = TypeVar("T")

#: A retry is only started if at least this much of the budget is left for the request.
MIN_ATTEMPT_SECONDS = 0.25

#: Transport errors raised before the request was written: nothing reached the server.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try.

    attempts: total tries including the first (1 = never retry).
    base, cap: exponential backoff ``min(cap, base * 2**n)``, jittered to 50–100 %.
    budget: seconds from the first try after which no retry starts; each
        retry's own timeout is also cut to what remains of it.
    """

    attempts: int = 3
    base: float = 0.5
    cap: float = 4.0
    budget: float = 15.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 500, 502, 503, 504}))

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.base < 0 or self.cap < 0 or self.budget < 0:
            raise ValueError("base, cap and budget must not be negative")

    def backoff(self, retry_number: int) -> float:
        """Jittered wait before retry ``retry_number`` (1 for the first retry)."""
        ceiling = min(self.cap, self.base * 2 ** (retry_number - 1))
        return ceiling * random.uniform(0.5, 1.0)


NO_RETRY = RetryPolicy(attempts=1)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None or when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _retryable(exc: BaseException, policy: RetryPolicy, idempotent: bool) -> bool:
    if isinstance(exc, SeekrFlowError):
        cause = exc.__cause__
        if isinstance(exc, Unavailable) and isinstance(cause, httpx.TransportError):
            return _retryable(cause, policy, idempotent)
        return (
            idempotent
            and isinstance(exc, (RateLimited, ServerError))
            and (exc.status in policy.statuses)
        )
    if isinstance(exc, NOT_SENT):
        return True
    if isinstance(exc, httpx.TimeoutException):  # read/write timeout: a change may be made
        return idempotent
    return idempotent and isinstance(exc, httpx.TransportError)


async def call_with_retry(
    attempt: Callable[[float | None], Awaitable[T]],
    policy: RetryPolicy,
    *,
    idempotent: bool,
    sleep: Callable[[float], Awaitable[None]],
) -> T:
    """Run ``attempt(time_left)`` until it succeeds or the policy says stop.

    ``attempt`` raises the client's typed errors (``Unavailable`` chained from
    the httpx error) and receives the seconds left in the budget (None on the
    first try) so it can shorten its own timeout.
    """
    start = time.monotonic()
    max_tries = policy.attempts if idempotent else min(policy.attempts, 2)
    tries = 0
    time_left: float | None = None
    while True:
        tries += 1
        try:
            return await attempt(time_left)
        except SeekrFlowError as exc:
            if tries >= max_tries or not _retryable(exc, policy, idempotent):
                raise
            retry_after = getattr(exc, "retry_after", None)
            delay = retry_after if retry_after is not None else policy.backoff(tries)
            remaining = policy.budget - (time.monotonic() - start)
            if delay + MIN_ATTEMPT_SECONDS > remaining:
                raise  # no time left for a useful try after the wait: the caller gets it now
            await sleep(delay)
            time_left = max(MIN_ATTEMPT_SECONDS, policy.budget - (time.monotonic() - start))
