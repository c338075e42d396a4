"""Who is subscribed to what: one record per (target, job) or (target, every job of a key).

A target (``dest``) is a person's DM (``u:<user id>``) or a channel (``c:<channel id>``).
A channel's subscription belongs to the channel, not to whoever made it.
Each subscription records the SeekrFlow key (``key_ref``) the watcher polls it with.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.seekrflow import TERMINAL, DataJob, JobStatus

from . import keys, lua_subs

DEFAULT_EVENTS: tuple[str, ...] = ("completed", "failed", "cancelled", "stopped", "needs_review")
KNOWN_EVENTS: tuple[str, ...] = tuple(s.value for s in JobStatus)


def dm_dest(user_id: str) -> str:
    return f"u:{user_id}"


def channel_dest(channel_id: str) -> str:
    return f"c:{channel_id}"


def dest_label(dest: str) -> str:
    """How Slack shows a target in mrkdwn: a user or channel mention token (ids only)."""
    kind, _, ident = dest.partition(":")
    return f"<@{ident}>" if kind == "u" else f"<#{ident}>"


def now_ms() -> int:
    return int(time.time() * 1000)


def to_ms(dt) -> int:
    return int(dt.timestamp() * 1000)


@dataclass(frozen=True)
class Subscription:
    dest: str
    job_id: str | None            # None = every job the key can see
    key_ref: str
    events: tuple[str, ...]
    by: str
    at_ms: int
    job_name: str | None = None
    broken: str | None = None     # why the target no longer takes messages

    @property
    def all_jobs(self) -> bool:
        return self.job_id is None


@dataclass(frozen=True)
class SubscribeResult:
    created: bool
    previous_events: tuple[str, ...] = ()


def _events_csv(events: tuple[str, ...] | list[str]) -> str:
    return ",".join(events)


def _split(csv: str) -> tuple[str, ...]:
    return tuple(e for e in csv.split(",") if e)


class SubscriptionStore:
    def __init__(self, redis: Redis):
        self._r = redis
        self._sub_job = redis.register_script(lua_subs.SUBSCRIBE_JOB)
        self._sub_all = redis.register_script(lua_subs.SUBSCRIBE_ALL)
        self._unsub_job = redis.register_script(lua_subs.UNSUBSCRIBE_JOB)
        self._unsub_all = redis.register_script(lua_subs.UNSUBSCRIBE_ALL)

    async def subscribe_job(self, dest: str, job: DataJob, *, events: tuple[str, ...],
                            key_ref: str, by: str) -> SubscribeResult:
        """Subscribe ``dest`` to an unfinished job; the same call twice is one subscription."""
        if job.status in TERMINAL:
            raise ValueError("a finished job has nothing left to notify")
        now = now_ms()
        rec = json.dumps({"events": list(events), "key_ref": key_ref, "by": by, "at": now,
                          "name": job.name[:200]})
        created, prev = await self._sub_job(
            keys=[keys.dest_subs(dest)],
            args=[keys.NOTIFY, dest, job.id, rec, _events_csv(events), key_ref,
                  to_ms(job.created_at), job.status, to_ms(job.updated_at), now])
        return SubscribeResult(bool(created), _split(_s(prev)))

    async def subscribe_all(self, dest: str, *, events: tuple[str, ...], key_ref: str,
                            by: str) -> SubscribeResult:
        now = now_ms()
        rec = json.dumps({"events": list(events), "key_ref": key_ref, "by": by, "at": now})
        created, prev = await self._sub_all(
            keys=[keys.dest_subs(dest)],
            args=[keys.NOTIFY, dest, key_ref, rec, f"{_events_csv(events)}|{now}", now])
        return SubscribeResult(bool(created), _split(_s(prev)))

    async def unsubscribe_job(self, dest: str, job_id: str) -> bool:
        return bool(await self._unsub_job(keys=[keys.dest_subs(dest)],
                                          args=[keys.NOTIFY, dest, job_id,
                                                keys.FINISHED_TTL_S]))

    async def unsubscribe_all(self, dest: str, key_ref: str) -> bool:
        return bool(await self._unsub_all(keys=[keys.dest_subs(dest)],
                                          args=[keys.NOTIFY, dest, key_ref]))

    async def is_subscribed(self, dest: str, job_id: str) -> bool:
        return bool(await self._r.hexists(keys.dest_subs(dest), job_id))

    async def list(self, dest: str) -> list[Subscription]:
        """A target's subscriptions: every-job ones first, then jobs by name."""
        raw = await self._r.hgetall(keys.dest_subs(dest))
        broken = await self._r.hget(keys.target(dest), "broken")
        out = []
        for scope, rec in raw.items():
            scope, data = _s(scope), json.loads(rec)
            all_jobs = scope.startswith("*:")
            out.append(Subscription(
                dest=dest, job_id=None if all_jobs else scope, key_ref=data["key_ref"],
                events=tuple(data["events"]), by=data.get("by", ""), at_ms=data.get("at", 0),
                job_name=data.get("name"), broken=_s(broken) if broken else None))
        out.sort(key=lambda s: (not s.all_jobs, (s.job_name or "").lower(), s.job_id or ""))
        return out

    async def broken_reason(self, dest: str) -> str | None:
        v = await self._r.hget(keys.target(dest), "broken")
        return _s(v) if v else None


def _s(v: object) -> str:
    return v.decode() if isinstance(v, bytes) else str(v or "")
