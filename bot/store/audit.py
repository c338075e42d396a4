"""The audit trail: every change (rename, cancel, subscribe, login, logout, …).

Each change becomes one structured log line (``audit {...json...}`` on the
``bot.audit`` logger) and one entry of a capped Redis stream (XADD MAXLEN ~),
so the newest few thousand changes can be read back with ``Audit.recent``.
Entries name people by Slack user id and jobs by id; they never hold a key.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from bot.values import Change

from . import keys
from .connect import AnyRedis

audit_logger = logging.getLogger("bot.audit")
logger = logging.getLogger(__name__)

DEFAULT_MAXLEN = 10_000


class Outcome(StrEnum):
    OK = "ok"
    REFUSED = "refused"  # not allowed: no SeekrFlow call was made
    FAILED = "failed"  # SeekrFlow or Slack said no


@dataclass(frozen=True)
class AuditEntry:
    action: str
    actor: str  # Slack user id, or "watcher"
    outcome: str = Outcome.OK
    job_id: str | None = None
    before: str | None = None
    after: str | None = None
    identity: str | None = None  # "personal" / "team" / key_ref
    channel: str | None = None
    detail: str | None = None
    ts: float = field(default_factory=time.time)

    def fields(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_fields(cls, raw: dict[str, str]) -> AuditEntry:
        d: dict[str, object] = dict(raw)
        d["ts"] = float(d.get("ts", 0))
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})


class Audit:
    def __init__(self, redis: AnyRedis, *, maxlen: int = DEFAULT_MAXLEN):
        self._redis = redis
        self._maxlen = maxlen

    async def record(
        self,
        action: Change,
        actor: str,
        *,
        outcome: str = Outcome.OK,
        job_id: str | None = None,
        before: str | None = None,
        after: str | None = None,
        identity: str | None = None,
        channel: str | None = None,
        detail: str | None = None,
    ) -> AuditEntry:
        """Log and keep one change. A Redis failure is logged, never raised: the change happened."""
        entry = AuditEntry(
            action=action.audited_as,
            actor=actor,
            outcome=str(outcome),
            job_id=job_id,
            before=before,
            after=after,
            identity=identity,
            channel=channel,
            detail=detail,
        )
        audit_logger.info(
            "audit %s", json.dumps(entry.fields(), sort_keys=True, ensure_ascii=False)
        )
        try:
            await self._redis.xadd(
                keys.audit_stream(), entry.fields(), maxlen=self._maxlen, approximate=True
            )
        except Exception as exc:  # noqa: BLE001 - the change happened: the log line keeps it
            logger.error(
                "audit entry not kept in Redis (%s); it is in this log", type(exc).__name__
            )
        return entry

    async def recent(self, count: int = 50) -> list[AuditEntry]:
        """Newest first."""
        rows = await self._redis.xrevrange(keys.audit_stream(), count=count)
        return [AuditEntry.from_fields(fields) for _id, fields in rows]
