"""A SeekrFlow client that audits every change made through it.

``Access.writer`` hands out this wrapper, so each rename or cancel — whichever
handler makes it — becomes one audit entry: who, which job, from what to what,
and the outcome. What the job looked like before comes from a ``get_job`` made
through the same wrapper (handlers read the job before changing it), so no
extra SeekrFlow call is made for the audit.
"""

from __future__ import annotations

from typing import Any

from .audit import Audit, AuditAction, Outcome


CANCELLABLE_BEFORE = "pending|queued|running"


class AuditedClient:
    def __init__(
        self, client: Any, audit: Audit, *, actor: str, identity: str, channel: str | None = None
    ):
        self._client = client
        self._audit = audit
        self._actor = actor
        self._identity = identity
        self._channel = channel
        self._seen: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:  # every read goes straight through
        return getattr(self._client, name)

    def __repr__(self) -> str:
        return f"AuditedClient({self._client!r}, actor={self._actor!r})"

    async def get_job(self, job_id: str):
        job = await self._client.get_job(job_id)
        self._seen[job_id] = job
        return job

    async def rename_job(self, job_id: str, name: str):
        return await self._change(
            AuditAction.RENAME, job_id, "name", self._client.rename_job(job_id, name), after=name
        )

    async def update_job(self, job_id: str, update: Any):
        fields = update.model_dump(exclude_none=True) if hasattr(update, "model_dump") else {}
        if set(fields) == {"name"}:
            return await self._change(
                AuditAction.RENAME,
                job_id,
                "name",
                self._client.update_job(job_id, update),
                after=fields["name"],
            )
        return await self._change(
            "update",
            job_id,
            None,
            self._client.update_job(job_id, update),
            after=",".join(sorted(fields)) or None,
        )

    async def cancel_job(self, job_id: str):
        # Unread before the call, the status was one SeekrFlow cancels (else it answers 304).
        return await self._change(
            AuditAction.CANCEL, job_id, "status", self._client.cancel_job(job_id),
            after="cancelled", unseen=CANCELLABLE_BEFORE,
        )

    async def _change(self, action: str, job_id: str, attr: str | None, call, *,
                      after: str | None, unseen: str | None = None):
        before_job = self._seen.get(job_id)
        before = getattr(before_job, attr, None) if (before_job is not None and attr) else unseen
        try:
            result = await call
        except Exception as exc:
            await self._audit.record(
                action,
                self._actor,
                outcome=Outcome.FAILED,
                job_id=job_id,
                before=before,
                after=after,
                identity=self._identity,
                channel=self._channel,
                detail=type(exc).__name__,
            )
            raise
        now = getattr(result, attr, None) if attr else None
        self._seen[job_id] = result
        await self._audit.record(
            action,
            self._actor,
            job_id=job_id,
            before=before,
            after=now if now is not None else after,
            identity=self._identity,
            channel=self._channel,
        )
        return result
