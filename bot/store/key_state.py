"""Which SeekrFlow keys stopped working, and what their subscriptions reach.

A key_ref marked dead here pauses the subscriptions made with it (see
``keys.dead_key_refs``); the mark is set once (HSETNX), so the pause is told once.
"""

from __future__ import annotations

import json
import time

from bot.values import Dest, KeyRef

from . import keys
from .connect import AnyRedis
from .sub_record import SubRecord


class KeyState:
    def __init__(self, redis: AnyRedis):
        self._r = redis

    async def mark_dead(self, key_ref: KeyRef, reason: str) -> bool:
        """Record that ``key_ref`` stopped working; True only the first time (announce then)."""
        value = json.dumps({"reason": reason, "ts": time.time()})
        return bool(await self._r.hsetnx(keys.dead_key_refs(), str(key_ref), value))

    async def is_dead(self, key_ref: KeyRef) -> bool:
        return bool(await self._r.hexists(keys.dead_key_refs(), str(key_ref)))

    async def dead(self) -> list[KeyRef]:
        return sorted(KeyRef.parse(k) for k in await self._r.hkeys(keys.dead_key_refs()))

    async def revive(self, key_ref: KeyRef) -> bool:
        """A working key is linked again for ``key_ref``; True when it had been marked dead.

        Its next complete poll is a catch-up: the changes its subscriptions missed while paused
        (held by other keys' polls, or seen by that poll) are told as one summary per target."""
        revived = bool(await self._r.hdel(keys.dead_key_refs(), str(key_ref)))
        if revived:
            await self._r.hset(keys.catchup(), str(key_ref), int(time.time() * 1000))
        return revived

    async def poll_now(self, key_ref: KeyRef) -> None:
        """Make the watcher poll ``key_ref`` at once, if it polls it at all."""
        await self._r.zadd(keys.poll_due(), {str(key_ref): int(time.time() * 1000)}, xx=True)

    async def targets(self, key_ref: KeyRef) -> dict[Dest, int]:
        """Target -> how many of its subscriptions poll with ``key_ref`` (other keys'
        subscriptions to the same jobs go on)."""
        ref = str(key_ref)
        counts: dict[Dest, int] = {}
        for job_id in await self._r.zrange(keys.watch(key_ref), 0, -1):
            for raw in await self._r.hkeys(keys.job_subs(job_id)):
                dest = Dest.parse(raw)
                rec = await self._r.hget(keys.dest_subs(dest), job_id)
                if rec is None or str(SubRecord.decode(rec).key_ref) != ref:
                    continue
                counts[dest] = counts.get(dest, 0) + 1
        for raw in await self._r.hkeys(keys.all_subs(key_ref)):
            dest = Dest.parse(raw)
            counts[dest] = counts.get(dest, 0) + 1
        return counts
