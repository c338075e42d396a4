"""What a job's messages in Slack show: its thread roots, its latest snapshot, and the live
progress updates of its roots (once a minute per message, within a ``chat.update`` budget shared
across replicas)."""

from __future__ import annotations

import time

from bot.values import Dest, JobSnapshot

from . import keys, lua_quiet
from .connect import AnyRedis


class JobMessages:
    def __init__(self, redis: AnyRedis):
        self.r = redis
        self._progress = redis.register_script(lua_quiet.PROGRESS)

    async def roots(self, job_id: str) -> dict[Dest, tuple[str, str]]:
        """The job's thread roots: dest -> (channel, ts)."""
        out = {}
        for f, v in (await self.r.hgetall(keys.job(job_id))).items():
            if f.startswith("root:") and "|" in v:
                channel, ts = v.split("|", 1)
                out[Dest.parse(f[5:])] = (channel, ts)
        return out

    async def latest(self, job_id: str) -> JobSnapshot | None:
        """The snapshot of the job's current status (what its notifications show), if kept."""
        status = await self.r.hget(keys.job(job_id), "status")
        occ = await self.r.hget(keys.job(job_id), f"occ:{status}") if status else None
        raw = await self.r.hget(keys.job(job_id), f"snap:{status}:{occ}") if occ else None
        return JobSnapshot.from_json(raw) if raw else None

    async def progress_gated(self, dest: Dest, job_id: str) -> bool:
        return bool(await self.r.exists(keys.progress_gate(dest, job_id)))

    async def claim_progress(self, dest: Dest, job_id: str, budget: int, every_ms: int) -> bool:
        """May the job's root at ``dest`` show new progress now (once a minute per message,
        within the workspace's ``chat.update`` budget this minute)?"""
        minute = int(time.time() // 60)
        return bool(
            await self._progress(
                keys=[keys.progress_gate(dest, job_id), keys.update_budget(minute)],
                args=[budget, every_ms],
            )
        )

    async def count_update(self) -> None:
        """A status update of a thread root: it counts toward this minute's ``chat.update``s."""
        k = keys.update_budget(int(time.time() // 60))
        pipe = self.r.pipeline(transaction=False)
        pipe.incr(k)
        pipe.expire(k, 120)
        await pipe.execute()
