"""Who is on a job that needs review, and the one reminder when nobody is."""

from __future__ import annotations

import json
import time

from . import keys
from .connect import AnyRedis


def _now() -> int:
    return int(time.time() * 1000)


class ClaimStore:
    def __init__(self, redis: AnyRedis):
        self._r = redis

    async def claim(self, job_id: str, by: str) -> str | None:
        """Claim the job for ``by``; returns who already had it (None: now ``by``'s)."""
        raw = json.dumps({"by": by, "at": _now()})
        if await self._r.hsetnx(keys.claims(), job_id, raw):
            return None
        current = await self._r.hget(keys.claims(), job_id)
        holder = json.loads(current)["by"] if current else None
        if holder in (None, by):
            await self._r.hset(keys.claims(), job_id, raw)
            return None
        return holder

    async def unclaim(self, job_id: str) -> str | None:
        """Drop the claim; returns who had it."""
        current = await self._r.hget(keys.claims(), job_id)
        await self._r.hdel(keys.claims(), job_id)
        return json.loads(current)["by"] if current else None

    async def holder(self, job_id: str) -> str | None:
        current = await self._r.hget(keys.claims(), job_id)
        return json.loads(current)["by"] if current else None

    async def review_started(self, job_id: str, due_ms: int) -> None:
        await self._r.zadd(keys.review_due(), {job_id: due_ms}, nx=True)

    async def due_reviews(self, now_ms: int, limit: int = 20) -> list[str]:
        """Jobs whose reminder is due, each taken once (ZREM wins it for one replica)."""
        out = []
        for job_id in await self._r.zrangebyscore(keys.review_due(), "-inf", now_ms, 0, limit):
            if await self._r.zrem(keys.review_due(), job_id):
                out.append(job_id)
        return out

    async def remind_once(self, job_id: str) -> bool:
        """True the first time: the job is still in review and nobody claimed it."""
        status = await self._r.hget(keys.job(job_id), "status")
        if status != "needs_review" or await self._r.hexists(keys.claims(), job_id):
            return False
        return bool(await self._r.hsetnx(keys.job(job_id), "reminded", "1"))

    async def dm_subscribers(self, job_id: str) -> list[str]:
        return sorted(d[2:] for d in await self._r.hkeys(keys.job_subs(job_id)) if d[:2] == "u:")
