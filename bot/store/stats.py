"""What Redis says about itself and about the bot's state, for operators.

- ``redis_facts``: persistence (AOF), eviction policy and cluster mode, read with ``INFO``
  (which managed Redis services allow where they rename ``CONFIG``). Start-up, ``/healthz``
  and ``python -m bot doctor`` read them.
- ``Stats``: live subscriptions by kind, and the age of the oldest notification not yet in
  Slack, for ``GET /metrics``. Both are bounded reads, each in a few round trips; the count
  is cached for a few seconds, so frequent scrapes do not scan Redis each time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.values import Dest

from . import keys
from .connect import AnyRedis

EVICTING_POLICIES_OK = ("noeviction",)
LAG_TARGETS_READ = 100  # targets per source looked at for the oldest waiting notification


@dataclass(frozen=True)
class RedisFacts:
    aof: bool
    policy: str
    maxmemory: int
    cluster: bool

    @property
    def may_evict(self) -> bool:
        """Redis may drop the bot's keys when full: a memory limit with an evicting policy."""
        return self.maxmemory > 0 and self.policy not in EVICTING_POLICIES_OK

    def warnings(self) -> list[str]:
        found = []
        if not self.aof:
            found.append(
                "Redis has no append-only file (appendonly no): a restart loses what was "
                "written since the last snapshot, and notifications may be sent again or lost. "
                "Set appendonly yes."
            )
        if self.may_evict:
            found.append(
                f"Redis may evict keys (maxmemory-policy {self.policy} with maxmemory "
                f"{self.maxmemory}): subscriptions and sent marks could vanish. "
                "Set maxmemory-policy noeviction."
            )
        return found

    def health(self) -> dict[str, Any]:
        return {
            "redis_aof": self.aof,
            "redis_may_evict": self.may_evict,
            "redis_warnings": self.warnings(),
        }


def _merged(info: dict[str, Any]) -> list[dict[str, Any]]:
    """INFO of one server, or of every node of a cluster ({node: info})."""
    if info and all(isinstance(v, dict) for v in info.values()):
        return list(info.values())
    return [info]


async def redis_facts(redis: AnyRedis) -> RedisFacts:
    persistence = _merged(await redis.info("persistence"))
    memory = _merged(await redis.info("memory"))
    cluster = _merged(await redis.info("cluster"))
    policies = {str(m.get("maxmemory_policy", "noeviction")) for m in memory}
    evicting = sorted(p for p in policies if p not in EVICTING_POLICIES_OK)
    return RedisFacts(
        aof=all(str(p.get("aof_enabled", 0)) == "1" for p in persistence),
        policy=evicting[0] if evicting else "noeviction",
        maxmemory=max(int(m.get("maxmemory", 0) or 0) for m in memory),
        cluster=any(str(c.get("cluster_enabled", 0)) == "1" for c in cluster),
    )


class Stats:
    def __init__(self, redis: AnyRedis, *, cache_s: float = 10.0):
        self._r = redis
        self.cache_s = cache_s
        self._subs: tuple[float, dict[tuple[str, str], int]] | None = None

    async def subscriptions(self) -> dict[tuple[str, str], int]:
        """{(kind, target): count}: kind ``job`` or ``all``, target ``dm`` or ``channel``."""
        now = time.monotonic()
        if self._subs is not None and now - self._subs[0] < self.cache_s:
            return self._subs[1]
        counts = {(k, t): 0 for k in ("job", "all") for t in ("dm", "channel")}
        prefix = keys.dest_subs(Dest.dm("X0")).rsplit(":", 2)[0] + ":"
        async for name in self._r.scan_iter(match=prefix + "*", count=500):
            try:
                dest = Dest.parse(name[len(prefix) :])
            except ValueError:
                continue
            target = "dm" if dest.is_dm else "channel"
            for scope in await self._r.hkeys(name):
                counts[("all" if scope.startswith("*:") else "job", target)] += 1
        self._subs = (now, counts)
        return counts

    async def oldest_waiting_ms(self, now_ms: int | None = None) -> int:
        """How long (ms) the oldest notification recorded and not yet in Slack has waited: of
        the targets woken and not yet served, and those waiting to be tried again."""
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        dests: set[str] = set()
        try:
            pending = await self._r.xpending_range(
                keys.outbox(), keys.OUTBOX_GROUP, min="-", max="+", count=LAG_TARGETS_READ
            )
            ids = [p["message_id"] for p in pending]
            groups = await self._r.xinfo_groups(keys.outbox())
        except Exception:  # noqa: BLE001 - no outbox yet: nothing waits there
            ids, groups = [], []
        group = next((g for g in groups if g.get("name") == keys.OUTBOX_GROUP), None)
        pipe = self._r.pipeline(transaction=False)
        for entry_id in ids[:LAG_TARGETS_READ]:
            pipe.xrange(keys.outbox(), min=entry_id, max=entry_id, count=1)
        if group and group.get("last-delivered-id"):
            after = "(" + str(group["last-delivered-id"])
            pipe.xrange(keys.outbox(), min=after, count=LAG_TARGETS_READ)
        pipe.zrange(keys.retry(), 0, LAG_TARGETS_READ - 1)
        *read, retried = await pipe.execute()
        for entries in read:
            for _id, fields in entries:
                if fields and fields.get("dest"):
                    dests.add(fields["dest"])
        dests.update(retried)
        targets = []
        for raw in dests:
            try:
                targets.append(Dest.parse(raw))
            except ValueError:
                continue
        pipe = self._r.pipeline(transaction=False)
        for dest in targets:
            pipe.zrange(keys.pending(dest), 0, 0, withscores=True)
        oldest = now_ms
        for first in await pipe.execute() if targets else []:
            if first:
                oldest = min(oldest, int(first[0][1]))
        return max(0, now_ms - oldest)
