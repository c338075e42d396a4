"""Retries in flight: one clone per Retry, even when the clone's answer was lost.

A Retry first claims ``retry_of(job)`` (SET NX with a lifetime). While the claim stands, a
second Retry looks for the clone instead of asking for another one.
"""

from __future__ import annotations

import json

from bot.values import KeyRef

from . import keys
from .connect import AnyRedis
from .sub_record import SubRecord

CLAIM_S = 600
"""How long an unconfirmed Retry blocks another clone of the same job."""


class RetryStore:
    def __init__(self, redis: AnyRedis):
        self._r = redis

    async def claim(self, job_id: str, by: str, at_ms: int) -> dict | None:
        """Claim the Retry of ``job_id``; None when claimed, else the standing claim."""
        raw = json.dumps({"by": by, "at_ms": at_ms})
        if await self._r.set(keys.retry_of(job_id), raw, nx=True, ex=CLAIM_S):
            return None
        current = await self._r.get(keys.retry_of(job_id))
        return json.loads(current) if current else {"by": by, "at_ms": at_ms}

    async def done(self, job_id: str, by: str, at_ms: int, clone_id: str) -> None:
        """The clone is known: a Retry clicked again meanwhile is told of it, not cloned."""
        raw = json.dumps({"by": by, "at_ms": at_ms, "clone": clone_id})
        await self._r.set(keys.retry_of(job_id), raw, ex=CLAIM_S)

    async def release(self, job_id: str) -> None:
        """The clone was refused for sure (nothing was created): the claim goes."""
        await self._r.delete(keys.retry_of(job_id))

    async def subscriptions_of(self, job_id: str) -> list[tuple[str, SubRecord, tuple[str, ...]]]:
        """The finished job's subscriptions (kept with its state): (dest, record, events)."""
        fields = await self._r.hgetall(keys.job(job_id))
        out = []
        for f, v in fields.items():
            if f.startswith("sub:"):
                dest = f[4:]
                rec = SubRecord.decode(v)
                kept = fields.get(f"sev:{dest}")
                events = tuple(e for e in kept.split(",") if e) if kept else (rec.events or ())
                out.append((dest, rec, events))
        return sorted(out, key=lambda t: t[0])

    async def start_when_ready(self, job_id: str, key_ref: KeyRef) -> None:
        await self._r.hset(keys.autostart(), job_id, str(key_ref))

    async def to_start(self) -> dict[str, KeyRef]:
        """Retried jobs to start once ready -> the key to start them with."""
        return {j: KeyRef.parse(k) for j, k in (await self._r.hgetall(keys.autostart())).items()}

    async def started(self, job_id: str) -> None:
        await self._r.hdel(keys.autostart(), job_id)
