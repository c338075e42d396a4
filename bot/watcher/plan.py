"""How many list pages to read for one key: the cheapest of paging and per-job GETs.

The list is newest first, 100 per page. A watched job on page ``p`` costs
``p + 1`` page reads to reach; fetching it by id costs one GET. For known
positions the best number of pages ``k`` minimises ``k + #(jobs on pages >= k)``,
which is never more than ``min(pages to reach the oldest, number of jobs)``.
Without known positions (first poll, new subscriptions) the poller pages while
the pages read so far are fewer than the jobs still missing, then GETs the rest
(at most twice the best, and only until positions are known).
"""

from __future__ import annotations

import random

PAGE = 100
GET_ONLY = -1
"""Position of a job last fetched by id: somewhere beyond the pages worth reading."""


def planned_pages(watched: list[str], pages: dict[str, int], has_all: bool) -> int | None:
    """Pages to read when every watched job's place is known; None = discover as we go."""
    if any(j not in pages for j in watched):
        return None
    known = [pages[j] for j in watched if pages[j] >= 0]
    best_k, best_cost = 0, len(known)
    for k in range(1, (max(known) + 2) if known else 1):
        cost = k + sum(1 for p in known if p >= k)
        if cost <= best_cost:  # on a tie, page: it keeps positions fresh
            best_k, best_cost = k, cost
    return max(best_k, 1) if has_all else best_k


def keep_paging(pages_read: int, missing: int, planned: int | None) -> bool:
    """Read another page? ``planned`` from ``planned_pages``; ``missing``: watched jobs not seen
    yet."""
    if planned is not None:
        return pages_read < planned
    return missing > 0 and pages_read < missing


def next_delay(
    interval: float,
    errors: int,
    retry_after: float | None = None,
    jitter: float = 0.1,
    cap: float = 300.0,
) -> float:
    """Seconds until a key's next poll: the interval ±jitter, or exponential backoff with full
    jitter after failures (never sooner than the server's Retry-After)."""
    if errors <= 0:
        return interval * random.uniform(1 - jitter, 1 + jitter)
    ceiling = min(cap, interval * 2**errors)
    delay = random.uniform(interval, max(interval, ceiling))
    if retry_after:
        delay = max(delay, retry_after)
    return delay
