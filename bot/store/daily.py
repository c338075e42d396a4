"""Daily summaries: who gets one and when, and the claim that makes each day's go out once.

A due summary is claimed (its time moves a lease ahead, as polls are claimed), then enqueued as
one notification whose id names the target's local day (``#daily-<YYYYMMDD>|daily|1|<dest>``):
however many replicas claim it, and across restarts, a day is told once. The sender renders it
from the target's activity (``keys.activity``) when it posts.
"""

from __future__ import annotations

import json

from bot.values import DailySummary, Dest, Nid

from . import keys, lua_quiet
from .connect import AnyRedis
from .lua import keys_for

DAILY_PREFIX = "#daily-"
SUMMARY_TTL_S = 3 * 24 * 3600


def summary_nid(dest: Dest, day: str) -> Nid:
    return Nid(f"{DAILY_PREFIX}{day}", "daily", 1, dest)


def is_summary(nid: Nid) -> bool:
    return nid.job_id.startswith(DAILY_PREFIX)


class DailyStore:
    def __init__(self, redis: AnyRedis):
        self._r = redis
        self._claim = redis.register_script(lua_quiet.CLAIM_DAILY)
        self._enqueue = redis.register_script(lua_quiet.ENQUEUE_DAILY)

    async def set(self, summary: DailySummary, next_ms: int) -> None:
        pipe = self._r.pipeline(transaction=True)
        pipe.hset(keys.daily(), str(summary.dest), summary.to_json())
        pipe.zadd(keys.daily_due(), {str(summary.dest): next_ms})
        await pipe.execute()

    async def get(self, dest: Dest) -> DailySummary | None:
        raw = await self._r.hget(keys.daily(), str(dest))
        return DailySummary.from_json(dest, raw) if raw else None

    async def next_due(self, dest: Dest) -> int | None:
        score = await self._r.zscore(keys.daily_due(), str(dest))
        return int(score) if score is not None else None

    async def clear(self, dest: Dest) -> bool:
        pipe = self._r.pipeline(transaction=True)
        pipe.hdel(keys.daily(), str(dest))
        pipe.zrem(keys.daily_due(), str(dest))
        removed, _ = await pipe.execute()
        return bool(removed)

    async def claim(
        self, now_ms: int, lease_ms: int, limit: int = 20
    ) -> list[tuple[DailySummary, int, str]]:
        """Due summaries, each claimed for ``lease_ms``: (summary, due ms, its stored config)."""
        flat = await self._claim(
            keys=keys_for(lua_quiet.CLAIM_DAILY_KEYS), args=[now_ms, lease_ms, limit]
        )
        out = []
        for i in range(0, len(flat), 3):
            dest = Dest.parse(flat[i])
            out.append(
                (DailySummary.from_json(dest, flat[i + 2]), int(float(flat[i + 1])), flat[i + 2])
            )
        return out

    async def enqueue(
        self, summary: DailySummary, due_ms: int, next_ms: int, config: str, now_ms: int
    ) -> int:
        """Queue the summary of the day ``due_ms`` falls on and schedule the next one.
        1 queued, 0 that day's was already queued, -1 the summary was changed or turned off."""
        day = summary.day_of(due_ms)
        nid = summary_nid(summary.dest, day)
        snap = json.dumps({"until": due_ms, "at": summary.clock, "tz": summary.tz})
        return int(
            await self._enqueue(
                keys=keys_for(lua_quiet.ENQUEUE_DAILY_KEYS, dest=summary.dest),
                args=[
                    str(summary.dest),
                    nid.job_id,
                    str(nid),
                    snap,
                    next_ms,
                    config,
                    now_ms,
                    SUMMARY_TTL_S,
                ],
            )
        )
