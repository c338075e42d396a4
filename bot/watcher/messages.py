"""Which message to send next to a target: one notification, or a digest of what is queued.

A notification id (nid) is ``<job>|<status>|<occurrence>|<dest>``; the message
carries the nids it delivers in its Slack metadata, so a post whose outcome
was lost can be found again. In a channel, a job's first message is the root
of its thread: later events go into the thread and the root is updated to the
latest status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.render.daily import render_daily
from bot.render.notification import (
    DIGEST_JOBS,
    render_digest,
    render_notification,
    render_summary,
)
from bot.store import History, NotifyState, keys
from bot.store.daily import is_summary
from bot.values import Dest, JobSnapshot, Nid

DAY_MS = 24 * 3600 * 1000

EVENT_TYPE = "datajob_notification"


def nids_in(message: dict) -> list[str]:
    """The notification ids a Slack message says it delivered (its metadata)."""
    meta = message.get("metadata") or {}
    if meta.get("event_type") != EVENT_TYPE:
        return []
    nids = (meta.get("event_payload") or {}).get("nids") or []
    return [str(n) for n in nids] if isinstance(nids, list) else []


def root_in(message: dict) -> str:
    """The job whose thread this message starts (its metadata), or ''."""
    meta = message.get("metadata") or {}
    if meta.get("event_type") != EVENT_TYPE:
        return ""
    root = (meta.get("event_payload") or {}).get("root")
    return root if isinstance(root, str) else ""


def metadata(nids: list[Nid], root_job: str) -> dict:
    """What a notification message says about itself: the nids it delivers, and the job whose
    thread it starts (in a channel)."""
    payload: dict = {"nids": [str(n) for n in nids]}
    if root_job:
        payload["root"] = root_job
    return {"event_type": EVENT_TYPE, "event_payload": payload}


@dataclass
class Outgoing:
    nids: list[Nid]  # delivered by this message (its metadata)
    text: str
    blocks: list[dict]
    digest: bool = False
    thread_ts: str | None = None  # reply in this thread
    root_job: str = ""  # this message becomes the job's thread root
    dropped: list[Nid] = field(default_factory=list)  # nothing left to say (state expired)
    root_updates: list[tuple[str, dict]] = field(default_factory=list)


@dataclass
class _Item:
    nid: Nid
    job: str
    snap: JobSnapshot
    root_ts: str | None
    latest: JobSnapshot | None


class Composer:
    def __init__(self, state: NotifyState, *, digest_min: int = 3):
        self.state = state
        self.digest_min = digest_min
        self.history = History(state.r)

    async def _daily(self, dest: Dest, nid: Nid) -> Outgoing | None:
        """The daily summary ``nid`` stands for: the target's last 24 h, rendered now."""
        (raw,) = await self.state.job_fields(nid.job_id, "snap:daily:1")
        if not raw:
            return None
        info = json.loads(raw)
        until = int(info["until"])
        outcomes = await self.history.outcomes(dest, until - DAY_MS)
        body = render_daily(
            dest, [o for o in outcomes if o[3] <= until], at=info.get("at", ""), tz=info.get("tz")
        )
        return Outgoing([nid], body["text"], body["blocks"])

    async def _load(self, dest: Dest, nids: list[Nid]) -> tuple[list[_Item], list[Nid]]:
        items, dropped = [], []
        for nid in nids:
            job, status, occ = nid.job_id, nid.status, nid.occurrence
            snap, root, cur = await self.state.job_fields(
                job, f"snap:{status}:{occ}", f"root:{dest}", "status"
            )
            if not snap:
                dropped.append(nid)
                continue
            latest = None
            if cur:
                (cur_occ,) = await self.state.job_fields(job, f"occ:{cur}")
                (raw,) = await self.state.job_fields(job, f"snap:{cur}:{cur_occ}")
                latest = JobSnapshot.from_json(raw) if raw else None
            root_ts = root.split("|", 1)[1] if root else None
            items.append(_Item(nid, job, JobSnapshot.from_json(snap), root_ts, latest))
        return items, dropped

    async def build(self, dest: Dest, nids: list[Nid]) -> Outgoing | None:
        daily = [n for n in nids if is_summary(n)]
        if daily:
            out = await self._daily(dest, daily[0])
            if out is not None:
                return out
            # the summary's day is long gone: nothing to say of it
            out = await self._build(dest, [n for n in nids if n != daily[0]])
            if out is not None:
                out.dropped.append(daily[0])
            return out
        return await self._build(dest, nids)

    async def _build(self, dest: Dest, nids: list[Nid]) -> Outgoing | None:
        labels = await self.state.r.hgetall(keys.batched(dest)) if nids else {}
        batch = [n for n in nids if str(n) in labels]
        if batch:
            # released together (a snooze ended, a paused key works again): one summary
            label = labels[str(batch[0])]
            same = [n for n in batch if labels[str(n)] == label]
            items, dropped = await self._load(dest, same)
            if items:
                shown, rest = items[:DIGEST_JOBS], items[DIGEST_JOBS:]
                body = render_summary([i.snap for i in shown], label, more=len(rest))
                return Outgoing(
                    [i.nid for i in shown], body["text"], body["blocks"], True, dropped=dropped
                )
        items, dropped = await self._load(dest, nids)
        if not items:
            return None
        in_channel = dest.is_channel
        if len(items) >= self.digest_min:
            # every job named: a burst larger than one digest is told in several, one after
            # another (the rest stay queued for the next post, paced like any other)
            items, rest = items[:DIGEST_JOBS], items[DIGEST_JOBS:]
            body = render_digest([i.snap for i in items], more=len(rest))
            out = Outgoing(
                [i.nid for i in items], body["text"], body["blocks"], digest=True, dropped=dropped
            )
            if in_channel:
                seen = set()
                for i in items:
                    if i.root_ts and i.job not in seen:
                        seen.add(i.job)
                        out.root_updates.append(
                            (i.root_ts, render_notification(i.latest or i.snap, thread_root=True))
                        )
            return out
        first = items[0]
        body = render_notification(first.snap)
        out = Outgoing([first.nid], body["text"], body["blocks"], dropped=dropped)
        if in_channel:
            if first.root_ts:
                out.thread_ts = first.root_ts
                out.root_updates.append(
                    (
                        first.root_ts,
                        render_notification(first.latest or first.snap, thread_root=True),
                    )
                )
            else:
                out.root_job = first.job
        return out
