"""Notification state in Redis: poll schedule, observations, outbox, delivery leases.

Thin typed wrappers around the Lua scripts (registered once per client).
Every script is safe to run twice (redis-py re-sends a command after a
connection error): repeats are no-ops or are refused by a fencing token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from . import keys, lua_deliver, lua_watch
from .subscriptions import _s


@dataclass(frozen=True)
class Observation:
    job_id: str
    status: str
    ver_ms: int
    created_ms: int
    snapshot: dict
    fresh: bool = False


@dataclass
class Begin:
    """What BEGIN answered for one outbox entry."""

    verdict: str                 # go | busy | empty | defer
    fence: int = 0
    owner: str = ""
    attempt: dict | None = None  # the unresolved earlier attempt, when there is one
    channel: str = ""            # cached Slack channel id (D… for a DM)
    broken: str = ""
    nids: list[str] = field(default_factory=list)


class NotifyState:
    def __init__(self, redis: Redis):
        self.r = redis
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

    # --- polling ---------------------------------------------------------------
    async def claim_polls(self, now_ms: int, lease_ms: int, limit: int = 16) -> list[tuple[str, int]]:
        flat = await self._claim(keys=[keys.poll_due()],
                                 args=[keys.NOTIFY, now_ms, lease_ms, limit])
        return [(_s(flat[i]), int(flat[i + 1])) for i in range(0, len(flat), 2)]

    async def finish_poll(self, key_ref: str, fence: int, next_due_ms: int, errors: int) -> int:
        return int(await self._finish(keys=[keys.poll_due()],
                                      args=[keys.NOTIFY, key_ref, fence, next_due_ms, errors]))

    async def watched(self, key_ref: str) -> dict[str, int]:
        """Unfinished subscribed jobs of a key -> created_at ms."""
        rows = await self.r.zrange(keys.watch(key_ref), 0, -1, withscores=True)
        return {_s(j): int(score) for j, score in rows}

    async def has_all_subs(self, key_ref: str) -> bool:
        return bool(await self.r.exists(keys.all_subs(key_ref)))

    async def all_since_ms(self, key_ref: str) -> int | None:
        vals = await self.r.hvals(keys.all_subs(key_ref))
        since = [int(_s(v).rsplit("|", 1)[1]) for v in vals]
        return min(since) if since else None

    async def statuses(self, job_ids: list[str]) -> dict[str, str | None]:
        if not job_ids:
            return {}
        pipe = self.r.pipeline(transaction=False)
        for j in job_ids:
            pipe.hget(keys.job(j), "status")
        vals = await pipe.execute()
        return {j: (_s(v) if v is not None else None) for j, v in zip(job_ids, vals)}

    async def all_unmarked(self, key_ref: str, job_ids: list[str]) -> set[str]:
        """Of ``job_ids``, those not yet marked as seen under this key's ``subscribe all``."""
        if not job_ids:
            return set()
        pipe = self.r.pipeline(transaction=False)
        for j in job_ids:
            pipe.hexists(keys.job(j), f"all:{key_ref}")
        return {j for j, marked in zip(job_ids, await pipe.execute()) if not marked}

    async def pages(self, key_ref: str) -> dict[str, int]:
        return {_s(k): int(v) for k, v in (await self.r.hgetall(keys.poll_pages(key_ref))).items()}

    async def set_pages(self, key_ref: str, pages: dict[str, int]) -> None:
        if pages:
            await self.r.hset(keys.poll_pages(key_ref), mapping=pages)

    async def observe(self, key_ref: str, obs: list[Observation], now_ms: int,
                      ttl_s: int = keys.FINISHED_TTL_S) -> list[int]:
        if not obs:
            return []
        # keys found dead (another slot: read here, not in the script); their subscriptions
        # are paused, so a transition seen with another key enqueues nothing for them
        dead = sorted(_s(k) for k in await self.r.hkeys(keys.dead_key_refs()))
        args: list = [keys.NOTIFY, key_ref, now_ms, ttl_s, ",".join(dead)]
        for o in obs:
            args += [o.job_id, o.status, o.ver_ms, o.created_ms,
                     json.dumps(o.snapshot, separators=(",", ":")), "1" if o.fresh else "0"]
        return [int(x) for x in await self._observe(keys=[keys.watch(key_ref)], args=args)]

    # --- delivery --------------------------------------------------------------
    async def ensure_group(self) -> None:
        try:
            await self.r.xgroup_create(keys.outbox(), keys.OUTBOX_GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def begin(self, dest: str, consumer: str, now_ms: int, lease_ms: int,
                    entry_id: str) -> Begin:
        res = await self._begin(keys=[keys.pending(dest)],
                                args=[keys.NOTIFY, dest, consumer, now_ms, lease_ms, entry_id])
        verdict = _s(res[0])
        if verdict != "go":
            return Begin(verdict)
        fence = int(res[1])
        att = _s(res[2])
        return Begin("go", fence, f"{consumer}|{fence}", json.loads(att) if att else None,
                     _s(res[3]), _s(res[4]), [_s(n) for n in res[5:]])

    async def prepost(self, dest: str, owner: str, margin_ms: int, attempt: dict) -> bool:
        return bool(await self._prepost(keys=[keys.attempt(dest)],
                                        args=[keys.NOTIFY, dest, owner, margin_ms,
                                              json.dumps(attempt)]))

    async def commit(self, dest: str, owner: str, nids: list[str], *, ts: str, channel: str,
                     clear_attempt_fence: int | None, root_job: str = "", gate_ms: int = 0,
                     now_ms: int = 0, entry_id: str = "") -> tuple[int, list[str]]:
        """Mark ``nids`` sent as message ``ts``. Returns how many stay queued for the target,
        and the nids that were already sent as another message (``ts`` is then an extra copy)."""
        res = await self._commit(
            keys=[keys.pending(dest)],
            args=[keys.NOTIFY, dest, owner,
                  "" if clear_attempt_fence is None else clear_attempt_fence,
                  ts, channel, root_job, gate_ms, now_ms, entry_id, *nids])
        return int(res[0]), [_s(n) for n in res[1:]]

    async def defer(self, dest: str, owner: str, *, keep_attempt: bool, gate_ms: int,
                    due_ms: int, entry_id: str) -> None:
        await self._defer(keys=[keys.pending(dest)],
                          args=[keys.NOTIFY, dest, owner, "1" if keep_attempt else "0",
                                gate_ms, due_ms, entry_id])

    async def mark_broken(self, dest: str, owner: str, reason: str, now_ms: int,
                          entry_id: str) -> int:
        return int(await self._broken(keys=[keys.pending(dest)],
                                      args=[keys.NOTIFY, dest, owner, reason, now_ms, entry_id]))

    async def pump(self, now_ms: int, limit: int = 100) -> int:
        return int(await self._pump(keys=[keys.retry()], args=[keys.NOTIFY, now_ms, limit]))

    async def job_fields(self, job_id: str, *fields: str) -> list[str | None]:
        vals = await self.r.hmget(keys.job(job_id), list(fields))
        return [(_s(v) if v is not None else None) for v in vals]

    async def set_target_channel(self, dest: str, channel: str) -> None:
        await self.r.hset(keys.target(dest), "channel", channel)

    async def heartbeat(self, replica: str, ttl_ms: int, now_ms: int) -> None:
        await self.r.set(keys.heartbeat(replica), now_ms, px=ttl_ms)
