"""Reading many list pages of one key, in order, a few at a time.

The first page is read alone (most keys have fewer than 100 jobs); after a full one, the
next ``BATCH`` pages are read together. Reading stops at a short page, at ``pages``, or
when the caller stops iterating (it has what it needs).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from bot.seekrflow import DataJob, SeekrFlow

PAGE = 100  # SeekrFlow's largest page
BATCH = 3


async def pages(
    seekr: SeekrFlow, query: dict[str, Any], *, limit: int
) -> AsyncIterator[list[DataJob]]:
    """Up to ``limit`` pages of ``PAGE`` jobs in ``query``'s order; the last may be short."""
    n = 0
    while n < limit:
        size = 1 if n == 0 else min(BATCH, limit - n)
        batch = await asyncio.gather(
            *(seekr.list_jobs(**query, limit=PAGE, offset=(n + i) * PAGE) for i in range(size))
        )
        n += size
        for jobs in batch:
            yield jobs
            if len(jobs) < PAGE:
                return
