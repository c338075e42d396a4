"""Who is subscribed to what: one record per (target, job) or (target, every job of a key).

A target (``Dest``) is a person's DM or a channel. A channel's subscription
belongs to the channel, not to whoever made it. Each subscription records the
SeekrFlow key (``KeyRef``) the watcher polls it with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from bot.seekrflow import TERMINAL, DataJob
from bot.values import Dest, KeyRef, Subscription

from . import keys, lua_subs
from .connect import AnyRedis
from .lua import keys_for
from .sub_record import SubRecord


def now_ms() -> int:
    return int(time.time() * 1000)


def to_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


@dataclass(frozen=True)
class SubscribeResult:
    created: bool
    previous_events: tuple[str, ...] = ()


def _split(csv: str | None) -> tuple[str, ...]:
    return tuple(e for e in (csv or "").split(",") if e)


class SubscriptionStore:
    """``redis`` is a client made by ``bot.store.connect`` (answers decoded to str)."""

    def __init__(self, redis: AnyRedis):
        self._r = redis
        self._sub_job = redis.register_script(lua_subs.SUBSCRIBE_JOB)
        self._sub_all = redis.register_script(lua_subs.SUBSCRIBE_ALL)
        self._unsub_job = redis.register_script(lua_subs.UNSUBSCRIBE_JOB)
        self._unsub_all = redis.register_script(lua_subs.UNSUBSCRIBE_ALL)

    async def subscribe_job(
        self, dest: Dest, job: DataJob, *, events: tuple[str, ...], key_ref: KeyRef, by: str
    ) -> SubscribeResult:
        """Subscribe ``dest`` to an unfinished job; the same call twice is one subscription."""
        if job.status in TERMINAL:
            raise ValueError("a finished job has nothing left to notify")
        now = now_ms()
        rec = SubRecord(key_ref, by, now).encode()
        created, prev = await self._sub_job(
            keys=keys_for(lua_subs.SUBSCRIBE_JOB_KEYS, dest=dest, job_id=job.id, key_ref=key_ref),
            args=[
                str(dest),
                job.id,
                rec,
                ",".join(events),
                str(key_ref),
                to_ms(job.created_at),
                job.status,
                to_ms(job.updated_at),
                now,
                job.name[:200],
            ],
        )
        return SubscribeResult(bool(created), _split(prev))

    async def subscribe_all(
        self, dest: Dest, *, events: tuple[str, ...], key_ref: KeyRef, by: str
    ) -> SubscribeResult:
        now = now_ms()
        rec = SubRecord(key_ref, by, now).encode()
        created, prev = await self._sub_all(
            keys=keys_for(lua_subs.SUBSCRIBE_ALL_KEYS, dest=dest, key_ref=key_ref),
            args=[str(dest), str(key_ref), rec, f"{','.join(events)}|{now}", now],
        )
        return SubscribeResult(bool(created), _split(prev))

    async def unsubscribe_job(self, dest: Dest, job_id: str) -> bool:
        return bool(
            await self._unsub_job(
                keys=keys_for(lua_subs.UNSUBSCRIBE_JOB_KEYS, dest=dest, job_id=job_id),
                args=[str(dest), job_id, keys.FINISHED_TTL_S],
            )
        )

    async def unsubscribe_all(self, dest: Dest, key_ref: KeyRef) -> bool:
        return bool(
            await self._unsub_all(
                keys=keys_for(lua_subs.UNSUBSCRIBE_ALL_KEYS, dest=dest, key_ref=key_ref),
                args=[str(dest), str(key_ref)],
            )
        )

    async def count(self, dest: Dest) -> int:
        return int(await self._r.hlen(keys.dest_subs(dest)))

    async def is_subscribed(self, dest: Dest, job_id: str) -> bool:
        return bool(await self._r.hexists(keys.dest_subs(dest), job_id))

    async def list(self, dest: Dest) -> list[Subscription]:
        """A target's subscriptions: every-job ones first, then jobs by name. The events and
        names are read from where they live once (``sub_record``), in one round trip."""
        raw = await self._r.hgetall(keys.dest_subs(dest))
        broken = await self._r.hget(keys.target(dest), "broken")
        parsed: list[tuple[str, SubRecord]] = []
        for scope, rec in raw.items():
            try:
                parsed.append((scope, SubRecord.decode(rec)))
            except ValueError:
                continue
        pipe = self._r.pipeline(transaction=False)
        for scope, rec in parsed:
            if scope.startswith("*:"):  # '<events>|<since>'; no name
                pipe.hget(keys.all_subs(rec.key_ref), str(dest))
            else:
                pipe.hget(keys.job_subs(scope), str(dest))
                pipe.hget(keys.job(scope), "name")
        answers = iter(await pipe.execute() if parsed else [])
        out = []
        for scope, rec in parsed:
            all_jobs = scope.startswith("*:")
            if all_jobs:
                events_raw, name = (next(answers) or "").rpartition("|")[0] or None, None
            else:
                events_raw, name = next(answers), next(answers)
            events = _split(events_raw) if events_raw is not None else (rec.events or ())
            out.append(
                Subscription(
                    dest=dest,
                    job_id=None if all_jobs else scope,
                    key_ref=rec.key_ref,
                    events=events,
                    by=rec.by,
                    at_ms=rec.at_ms,
                    job_name=None if all_jobs else (name or rec.name),
                    broken=broken or None,
                )
            )
        out.sort(key=lambda s: (not s.all_jobs, (s.job_name or "").lower(), s.job_id or ""))
        return out

    async def broken_reason(self, dest: Dest) -> str | None:
        return await self._r.hget(keys.target(dest), "broken") or None
