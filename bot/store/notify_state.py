"""Notification state in Redis: poll schedule, observations, outbox, delivery leases.

Thin typed wrappers around the Lua scripts (registered once per client).
Every script is safe to run twice (redis-py re-sends a command after a
connection error): repeats are no-ops or are refused by a fencing token.
``redis`` is a client made by ``bot.store.connect`` (answers decoded to str).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from redis.exceptions import ResponseError

from bot import metrics
from bot.values import Dest, JobSnapshot, KeyRef, Nid

from . import keys, lua_deliver, lua_restore, lua_watch
from .connect import AnyRedis
from .lua import keys_for
from .sub_record import SubRecord


def _now() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Observation:
    job_id: str
    status: str
    ver_ms: int
    created_ms: int
    snapshot: JobSnapshot | None  # None: no transition expected (a baseline, or a mark)
    fresh: bool = False


@dataclass
class Begin:
    """What BEGIN answered for one outbox entry."""

    verdict: str  # go | busy | empty | defer
    fence: int = 0
    owner: str = ""
    attempt: dict[str, Any] | None = None  # the unresolved earlier attempt, when there is one
    channel: str = ""  # cached Slack channel id (D… for a DM)
    broken: str = ""
    nids: list[Nid] = field(default_factory=list)


@dataclass(frozen=True)
class RestoreRules:
    """When the notification state counts as gone back in time, and for how long posts are then
    checked against their conversation first."""

    stale_ms: int = 10_000  # the clock this much older than now: recent writes were lost
    window_ms: int = 15 * 60_000  # long enough for every watched key to be polled again
    margin_ms: int = 5_000  # look this much further back than the old clock (replica clocks)


@dataclass(frozen=True)
class RestoreWindow:
    """A time in which every post is first checked against its conversation's messages since
    ``since_ms``: the notification state went back to ``at_ms - gone_ms`` or earlier."""

    id: str
    since_ms: int
    until_ms: int
    at_ms: int
    reason: str  # clock (recent writes lost) | generation (a counter went back)
    gone_ms: int = 0

    @classmethod
    def from_json(cls, raw: str | None) -> RestoreWindow | None:
        if not raw:
            return None
        d = json.loads(raw)
        return cls(
            id=str(d["id"]),
            since_ms=int(d["since_ms"]),
            until_ms=int(d["until_ms"]),
            at_ms=int(d["at_ms"]),
            reason=str(d.get("reason", "")),
            gone_ms=int(d.get("gone_ms", 0)),
        )

    def active(self, now_ms: int) -> bool:
        return now_ms < self.until_ms


@dataclass(frozen=True)
class PrePost:
    """What PREPOST answered: ``go`` (the attempt is recorded, post it), ``check`` (the state
    went back: check the conversation against ``window`` first) or ``lost`` (the lease)."""

    verdict: str
    generation: int = 0
    window: RestoreWindow | None = None


class NotifyState:
    def __init__(self, redis: AnyRedis, rules: RestoreRules | None = None):
        self.r = redis
        self.rules = rules or RestoreRules()
        reg = redis.register_script
        self._claim = reg(lua_watch.CLAIM_POLL)
        self._finish = reg(lua_watch.FINISH_POLL)
        self._observe = reg(lua_watch.OBSERVE)
        self._begin = reg(lua_deliver.BEGIN)
        self._prepost = reg(lua_deliver.PREPOST)
        self._commit = reg(lua_deliver.COMMIT)
        self._defer = reg(lua_deliver.DEFER)
        self._broken = reg(lua_deliver.BROKEN)
        self._pump = reg(lua_deliver.PUMP)
        self._heartbeat = reg(lua_restore.HEARTBEAT)

    # --- polling ---------------------------------------------------------------
    async def claim_polls(
        self, now_ms: int, lease_ms: int, limit: int = 16
    ) -> list[tuple[KeyRef, int]]:
        flat = await self._claim(
            keys=keys_for(lua_watch.CLAIM_POLL_KEYS), args=[now_ms, lease_ms, limit]
        )
        return [(KeyRef.parse(flat[i]), int(flat[i + 1])) for i in range(0, len(flat), 2)]

    async def finish_poll(
        self, key_ref: KeyRef, fence: int, next_due_ms: int, errors: int, *, done: bool = True
    ) -> int:
        """Reschedule the key's poll (``done``: the poll is over; a clean one ends a catch-up)."""
        return int(
            await self._finish(
                keys=keys_for(lua_watch.FINISH_POLL_KEYS, key_ref=key_ref),
                args=[str(key_ref), fence, next_due_ms, errors, "1" if done else "0", _now()],
            )
        )

    async def poll_errors(self, key_ref: KeyRef) -> int:
        """Consecutive failed polls of the key (they set its back-off)."""
        return int(await self.r.hget(keys.poll_state(key_ref), "errors") or 0)

    async def unwatch(self, key_ref: KeyRef, job_id: str) -> None:
        """The job no longer exists for this key: stop polling it."""
        pipe = self.r.pipeline(transaction=False)
        pipe.zrem(keys.watch(key_ref), job_id)
        pipe.hdel(keys.poll_pages(key_ref), job_id)
        await pipe.execute()

    async def watched(self, key_ref: KeyRef) -> dict[str, int]:
        """Unfinished subscribed jobs of a key -> created_at ms."""
        rows = await self.r.zrange(keys.watch(key_ref), 0, -1, withscores=True)
        return {j: int(score) for j, score in rows}

    async def has_all_subs(self, key_ref: KeyRef) -> bool:
        return bool(await self.r.exists(keys.all_subs(key_ref)))

    async def all_since_ms(self, key_ref: KeyRef) -> int | None:
        vals = await self.r.hvals(keys.all_subs(key_ref))
        since = [int(v.rsplit("|", 1)[1]) for v in vals]
        return min(since) if since else None

    async def statuses(self, job_ids: list[str]) -> dict[str, str | None]:
        if not job_ids:
            return {}
        pipe = self.r.pipeline(transaction=False)
        for j in job_ids:
            pipe.hget(keys.job(j), "status")
        vals = await pipe.execute()
        return dict(zip(job_ids, vals, strict=True))

    async def all_unmarked(self, key_ref: KeyRef, job_ids: list[str]) -> set[str]:
        """Of ``job_ids``, those not yet marked as seen under this key's ``subscribe all``."""
        if not job_ids:
            return set()
        pipe = self.r.pipeline(transaction=False)
        for j in job_ids:
            pipe.hexists(keys.job(j), f"all:{key_ref}")
        marks = await pipe.execute()
        return {j for j, marked in zip(job_ids, marks, strict=True) if not marked}

    async def pages(self, key_ref: KeyRef) -> dict[str, int]:
        return {k: int(v) for k, v in (await self.r.hgetall(keys.poll_pages(key_ref))).items()}

    async def set_pages(self, key_ref: KeyRef, pages: dict[str, int]) -> None:
        if pages:
            await self.r.hset(keys.poll_pages(key_ref), mapping=pages)

    async def observe(
        self,
        key_ref: KeyRef,
        obs: list[Observation],
        now_ms: int,
        ttl_s: int = keys.FINISHED_TTL_S,
    ) -> list[int]:
        if not obs:
            return []
        # keys found dead (another slot: read here, not in the script); their subscriptions
        # are paused, so a transition seen with another key enqueues nothing for them
        dead = sorted(await self.r.hkeys(keys.dead_key_refs()))
        args: list[Any] = [str(key_ref), now_ms, ttl_s, ",".join(dead)]
        for o in obs:
            args += [
                o.job_id,
                o.status,
                o.ver_ms,
                o.created_ms,
                o.snapshot.to_json() if o.snapshot else "{}",
                "1" if o.fresh else "0",
            ]
        res = await self._observe(keys=keys_for(lua_watch.OBSERVE_KEYS, key_ref=key_ref), args=args)
        *per_job, queued = (int(x) for x in res)
        metrics.notifications("recorded", queued)
        return per_job

    # --- delivery --------------------------------------------------------------
    async def ensure_group(self) -> None:
        try:
            await self.r.xgroup_create(keys.outbox(), keys.OUTBOX_GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def begin(
        self, dest: Dest, consumer: str, now_ms: int, lease_ms: int, entry_id: str
    ) -> Begin:
        res = await self._begin(
            keys=keys_for(lua_deliver.BEGIN_KEYS, dest=dest),
            args=[str(dest), consumer, now_ms, lease_ms, entry_id],
        )
        verdict = res[0]
        if verdict != "go":
            return Begin(verdict)
        fence = int(res[1])
        att = res[2]
        return Begin(
            "go",
            fence,
            f"{consumer}|{fence}",
            json.loads(att) if att else None,
            res[3],
            res[4],
            [Nid.parse(n) for n in res[5:]],
        )

    async def prepost(
        self,
        dest: Dest,
        owner: str,
        margin_ms: int,
        attempt: dict[str, Any],
        *,
        now_ms: int,
        highest_gen: int = 0,
        checked: str = "",
    ) -> PrePost:
        """Record the attempt just before posting, while the lease holds with ``margin_ms`` left
        and the state has not gone back in time (or its window was ``checked``)."""
        rules = self.rules
        res = await self._prepost(
            keys=keys_for(lua_deliver.PREPOST_KEYS, dest=dest),
            args=[
                owner,
                margin_ms,
                json.dumps(attempt),
                now_ms,
                rules.stale_ms,
                highest_gen,
                rules.window_ms,
                rules.margin_ms,
                checked,
            ],
        )
        if res[0] == "go":
            return PrePost("go", int(res[1]))
        if res[0] == "check":
            return PrePost("check", int(res[2]), RestoreWindow.from_json(res[1]))
        return PrePost("lost")

    async def commit(
        self,
        dest: Dest,
        owner: str,
        nids: list[Nid],
        *,
        ts: str,
        channel: str,
        clear_attempt_fence: int | None,
        root_job: str = "",
        gate_ms: int = 0,
        now_ms: int = 0,
        entry_id: str = "",
    ) -> tuple[int, list[Nid]]:
        """Mark ``nids`` sent as message ``ts``. Returns how many stay queued for the target,
        and the nids that were already sent as another message (``ts`` is then an extra copy)."""
        res = await self._commit(
            keys=keys_for(lua_deliver.COMMIT_KEYS, dest=dest),
            args=[
                str(dest),
                owner,
                "" if clear_attempt_fence is None else clear_attempt_fence,
                ts,
                channel,
                root_job,
                gate_ms,
                now_ms,
                entry_id,
                *map(str, nids),
            ],
        )
        return int(res[0]), [Nid.parse(n) for n in res[1:]]

    async def defer(
        self,
        dest: Dest,
        owner: str,
        *,
        keep_attempt: bool,
        gate_ms: int,
        due_ms: int,
        entry_id: str,
    ) -> None:
        await self._defer(
            keys=keys_for(lua_deliver.DEFER_KEYS, dest=dest),
            args=[str(dest), owner, "1" if keep_attempt else "0", gate_ms, due_ms, entry_id],
        )

    async def mark_broken(
        self, dest: Dest, owner: str, reason: str, now_ms: int, entry_id: str
    ) -> int:
        return int(
            await self._broken(
                keys=keys_for(lua_deliver.BROKEN_KEYS, dest=dest),
                args=[str(dest), owner, reason, now_ms, entry_id],
            )
        )

    async def pump(self, now_ms: int, limit: int = 100) -> int:
        return int(await self._pump(keys=keys_for(lua_deliver.PUMP_KEYS), args=[now_ms, limit]))

    async def job_fields(self, job_id: str, *fields: str) -> list[str | None]:
        return await self.r.hmget(keys.job(job_id), list(fields))

    async def set_target_channel(self, dest: Dest, channel: str) -> None:
        await self.r.hset(keys.target(dest), "channel", channel)

    async def report_once(self, dest: Dest) -> bool:
        """True the first time a target's breakage is to be told to someone."""
        return bool(await self.r.hsetnx(keys.target(dest), "reported", "1"))

    async def set_up_by(self, dest: Dest) -> list[str]:
        """Who made the target's subscriptions (to tell them it broke), at most five."""
        records = await self.r.hvals(keys.dest_subs(dest))
        return sorted({SubRecord.decode(r).by for r in records} - {None, ""})[:5]

    async def heartbeat(
        self, replica: str, ttl_ms: int, now_ms: int, highest_gen: int = 0
    ) -> tuple[int, RestoreWindow | None]:
        """Beat, write the clock, and notice a state gone back in time (see ``lua_restore``).
        Returns the generation now and the restore window, if one is open."""
        rules = self.rules
        gen, raw = await self._heartbeat(
            keys=keys_for(lua_restore.HEARTBEAT_KEYS, replica=replica),
            args=[now_ms, ttl_ms, rules.stale_ms, highest_gen, rules.window_ms, rules.margin_ms],
        )
        return int(gen), RestoreWindow.from_json(raw)

    async def set_root(self, job_id: str, dest: Dest, channel: str, ts: str) -> None:
        """The job's first message in a channel, found in Slack (the state had lost it)."""
        if await self.r.exists(keys.job(job_id)):  # never a job hash without its expiry
            await self.r.hsetnx(keys.job(job_id), f"root:{dest}", f"{channel}|{ts}")
