"""One person's changes to jobs: their SeekrFlow client, and one audit entry per change."""

from __future__ import annotations

from typing import Any

from bot.seekrflow import SeekrFlow
from bot.store import Audit
from bot.values import Change, Identity


class Changer:
    """Makes changes with one person's client (rights already checked) and audits each."""

    def __init__(
        self, seekr: SeekrFlow, identity: Identity, audit: Audit, *, channel: str | None = None
    ):
        self.seekr = seekr
        self.identity = identity
        self._audit = audit
        self._channel = channel

    async def record(self, change: Change, job_id: str, **fields: Any) -> None:
        """One audit entry for a change made (or tried) by this person."""
        await self._audit.record(
            change,
            self.identity.user_id,
            job_id=job_id,
            identity=self.identity.mode.value,
            channel=self._channel,
            **fields,
        )
