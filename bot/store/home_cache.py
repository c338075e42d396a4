"""What a person's App Home last read from SeekrFlow, kept for a few seconds."""

from __future__ import annotations

from . import keys
from .connect import AnyRedis

HOME_TTL_S = 30


class HomeCache:
    def __init__(self, redis: AnyRedis, ttl_s: int = HOME_TTL_S):
        self._r = redis
        self.ttl_s = ttl_s

    async def get(self, user_id: str) -> str | None:
        raw = await self._r.get(keys.home_jobs(user_id))
        return raw.decode() if isinstance(raw, bytes) else raw

    async def put(self, user_id: str, raw: str) -> None:
        await self._r.set(keys.home_jobs(user_id), raw, ex=self.ttl_s)

    async def drop(self, user_id: str) -> None:
        """After the person changed something from Home: the next view reads afresh."""
        await self._r.delete(keys.home_jobs(user_id))
