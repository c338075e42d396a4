"""What the bot saw and did: each job's capped history, and each target's recent outcomes.

Written by the watcher's scripts (``lua_watch.OBSERVE``, ``lua_deliver.COMMIT``); read by
``/datajobs why`` and the daily summary.
"""

from __future__ import annotations

import json
import time

from bot.values import Dest, HistoryEntry, Seen

from . import keys
from .connect import AnyRedis


class History:
    def __init__(self, redis: AnyRedis):
        self._r = redis

    async def of_job(self, job_id: str) -> list[HistoryEntry]:
        """The job's history, newest first (at most ``keys.JOB_LOG_MAX`` entries)."""
        out = []
        for raw in await self._r.lrange(keys.job_log(job_id), 0, -1):
            try:
                d = json.loads(raw)
                out.append(
                    HistoryEntry(
                        at_ms=int(d["t"]),
                        status=str(d.get("st", "")),
                        occurrence=int(d.get("o") or 0),
                        dest=Dest.parse(d["d"]),
                        what=Seen(d["w"]),
                        channel=str(d.get("c") or ""),
                        ts=str(d.get("ts") or ""),
                        via=str(d.get("via") or ""),
                    )
                )
            except (ValueError, KeyError, TypeError):
                continue  # a line of an older shape: skipped, never fatal
        return out

    async def note(self, job_id: str, entry: HistoryEntry) -> None:
        """Add one line from Python (a subscription refused because the job had finished)."""
        raw = json.dumps(
            {
                "t": entry.at_ms,
                "st": entry.status,
                "o": entry.occurrence,
                "d": str(entry.dest),
                "w": entry.what.value,
            }
        )
        pipe = self._r.pipeline(transaction=False)
        pipe.lpush(keys.job_log(job_id), raw)
        pipe.ltrim(keys.job_log(job_id), 0, keys.JOB_LOG_MAX - 1)
        pipe.expire(keys.job_log(job_id), keys.FINISHED_TTL_S)
        await pipe.execute()

    async def outcomes(self, dest: Dest, since_ms: int) -> list[tuple[str, str, str, int]]:
        """(job id, status, name, at ms) of the target's subscribed jobs' outcomes since then,
        oldest first."""
        rows = await self._r.xrange(keys.activity(dest), min=f"{since_ms}-0", max="+")
        out = []
        for entry_id, f in rows:
            out.append(
                (f.get("j", ""), f.get("s", ""), f.get("n", ""), int(entry_id.split("-")[0]))
            )
        return out


def now_ms() -> int:
    return int(time.time() * 1000)
