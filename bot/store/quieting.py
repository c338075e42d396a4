"""Snoozes and mutes: what a target has quieted, and the held changes that wait for it.

While a snooze lasts, the watcher holds the changes it would have sent (``lua_quiet``); when it
ends (by itself, by Unsnooze, or by subscribing again) they go out as one summary. A mute
drops them. Snoozes live in Redis, so they survive restarts and hold across replicas.
"""

from __future__ import annotations

import json
import time

from bot.values import Dest, Quiet

from . import keys, lua_quiet
from .connect import AnyRedis
from .job_messages import JobMessages
from .lua import keys_for
from .sub_record import SubRecord


def _now() -> int:
    return int(time.time() * 1000)


class QuietStore:
    def __init__(self, redis: AnyRedis):
        self._r = redis
        self._snooze = redis.register_script(lua_quiet.SNOOZE)
        self._unsnooze = redis.register_script(lua_quiet.UNSNOOZE)
        self._wake = redis.register_script(lua_quiet.WAKE)
        self._messages = JobMessages(redis)

    async def quiet(self, q: Quiet) -> None:
        """Snooze (``until_ms`` > 0) or mute (0) ``q.scope`` for ``q.dest``; replaces any other."""
        rec = json.dumps({"u": q.until_ms, "by": q.by, "at": q.at_ms or _now()})
        await self._snooze(
            keys=keys_for(lua_quiet.SNOOZE_KEYS, dest=q.dest),
            args=[str(q.dest), q.scope, q.until_ms, rec, _now()],
        )

    async def unquiet(self, dest: Dest, scope: str) -> tuple[bool, int]:
        """End a snooze or mute: (whether there was one, how many held changes go out now)."""
        was, released = await self._unsnooze(
            keys=keys_for(lua_quiet.UNSNOOZE_KEYS, dest=dest), args=[str(dest), scope, _now()]
        )
        return bool(was), int(released)

    async def of(self, dest: Dest, now_ms: int | None = None) -> dict[str, Quiet]:
        """The target's snoozes and mutes still in force, by scope."""
        now_ms = _now() if now_ms is None else now_ms
        out = {}
        for scope, raw in (await self._r.hgetall(keys.snoozes(dest))).items():
            d = json.loads(raw)
            q = Quiet(dest, scope, int(d.get("u", 0)), d.get("by", ""), int(d.get("at", 0)))
            if q.active(now_ms):
                out[scope] = q
        return out

    async def job_name(self, dest: Dest, job_id: str) -> str:
        """The job's name as this target knows it (its subscription, or the last change seen)."""
        rec = await self._r.hget(keys.dest_subs(dest), job_id)
        if rec:
            name = await self._r.hget(keys.job(job_id), "name") or SubRecord.decode(rec).name
            if name:
                return str(name)
        snap = await self._messages.latest(job_id)
        return snap.name if snap else ""

    async def held(self, dest: Dest) -> dict[str, str]:
        """Held notification ids -> why (``s:<scope>`` snoozed, ``p:<key_ref>`` paused)."""
        return await self._r.hgetall(keys.held(dest))

    async def wake(self, now_ms: int, limit: int = 100) -> int:
        """End the snoozes whose time is up (their held changes go out as summaries)."""
        return int(await self._wake(keys=keys_for(lua_quiet.WAKE_KEYS), args=[now_ms, limit]))
