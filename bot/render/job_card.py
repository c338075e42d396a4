"""The job card: everything about one job, with Refresh / Rename / Cancel. Pure."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from bot.ids import Action, Block
from bot.payloads import JobRef, encode
from bot.seekrflow.models import AlignmentJob, DataJobDetail

from . import limits as L
from .elements import actions, button, confirm_dialog
from .lifecycle import confirm_retry, confirm_skip, confirm_start
from .text import (
    clip,
    date_token,
    duration,
    esc,
    message,
    mrkdwn,
    percent,
    progress_bar,
    status_label,
)

TIMELINE_SHOWN = 5
FAILED_FILE_SECTIONS = 8


def eta_text(aj: AlignmentJob, now: datetime) -> str | None:
    """When the alignment should end (SeekrFlow's time, or its minutes from ``now``), if known."""
    if aj.estimated_completion_at:
        return date_token(aj.estimated_completion_at)
    if aj.eta_minutes is not None:
        eta = now + timedelta(minutes=aj.eta_minutes)
        return f"{date_token(eta)} (about {duration(aj.eta_minutes * 60)})"
    return None


def _alignment_lines(aj: AlignmentJob, now: datetime) -> list[str]:
    lines = []
    pct = percent(aj.progress)
    if pct is not None:
        lines.append(f"`{progress_bar(pct)}`")
    if aj.current_step:
        step = f"*Step:* {clip(aj.current_step, 200)}"
        step_pct = percent(aj.step_progress)
        lines.append(step + (f" ({step_pct:.0f}%)" if step_pct is not None else ""))
    eta = eta_text(aj, now)
    if eta:
        lines.append(f"*ETA:* {eta}")
    if aj.status_message:
        lines.append(f"*Alignment:* {clip(aj.status_message, 500)}")
    return lines


def _files_blocks(job: DataJobDetail) -> list[dict[str, Any]]:
    records = [r for ij in job.ingestion_jobs for r in ij.records]
    if not records and not job.files:
        return []
    if records:
        counts = Counter(r.status for r in records)
        summary = " · ".join(f"{clip(s, 40)}: {n}" for s, n in sorted(counts.items()))
        head = f"*Files ({len(records)}):* {summary}"
    else:
        head = f"*Files ({len(job.files)})*"
    blocks = [L.section(head)]
    failed = job.failed_records
    if failed:
        lines = [
            f"• *{clip(r.filename, 200)}*: {clip(r.error_message or 'failed', 600)}"
            + (f"\n    _Fix:_ {clip(r.suggested_fix, 600)}" if r.suggested_fix else "")
            for r in failed
        ]
        texts, left = L.chunk_lines(lines, max_chunks=FAILED_FILE_SECTIONS)
        blocks += [
            L.section(("*Failed files*\n" if i == 0 else "") + t) for i, t in enumerate(texts)
        ]
        if left:
            blocks.append(L.context(L.more_note(left, "failed files")))
    return blocks


def _timeline_block(job: DataJobDetail) -> dict[str, Any] | None:
    if not job.timeline:
        return None
    events = job.timeline[-TIMELINE_SHOWN:]
    lines = [
        f"{date_token(e.timestamp)} · {clip(e.event_type, 60)} · {clip(e.message, 300)}"
        for e in events
    ]
    head = "*Recent events*"
    if len(job.timeline) > len(events):
        head += f" (last {len(events)} of {len(job.timeline)})"
    return L.section(head + "\n" + "\n".join(lines))


def can_skip(job: DataJobDetail) -> bool:
    """In review with failed files and at least one good one: Skip failed files and start."""
    failed = sum(f.status == "failed" for f in job.files)
    return job.status == "needs_review" and 0 < failed < len(job.files)


def job_actions(job: DataJobDetail, subscribed: bool | None = None) -> dict[str, Any]:
    """``subscribed``: whether the viewer's DM is subscribed (None: no Subscribe button)."""
    ref = encode(JobRef(job_id=job.id))
    named = encode(JobRef(job_id=job.id, name=job.name[:255]))
    elements = [
        button("Refresh", Action.JOB_REFRESH, ref),
        button("Rename", Action.JOB_RENAME, named),
    ]
    if job.cancellable:
        elements.append(
            button(
                "Cancel job",
                Action.JOB_CANCEL,
                ref,
                style="danger",
                confirm=confirm_dialog(
                    "Cancel this job?",
                    f"Cancel “{clip(job.name, 200)}” ({clip(job.status, 30)})? "
                    "The alignment run stops "
                    "and cannot be resumed.",
                    "Cancel job",
                    "Keep it running",
                ),
            )
        )
    if job.status == "ready_to_start":
        elements.append(
            button(
                "Start",
                Action.JOB_START,
                ref,
                style="primary",
                confirm=confirm_start(clip(job.name, 200)),
            )
        )
    elif can_skip(job):
        names = [f.name or f.file_id for f in job.files if f.status == "failed"]
        listed = ", ".join(clip(n, 60) for n in names[:6]) + (
            f" and {len(names) - 6} more" if len(names) > 6 else ""
        )
        elements.append(
            button(
                "Skip failed files and start",
                Action.JOB_SKIP_START,
                ref,
                style="primary",
                confirm=confirm_skip(
                    f"{len(names)} failed file{'s' if len(names) != 1 else ''} ({listed})",
                    clip(job.name, 80),
                ),
            )
        )
    elif job.status in ("failed", "cancelled", "stopped"):
        elements.append(
            button(
                "Retry",
                Action.JOB_RETRY,
                ref,
                confirm=confirm_retry(clip(job.name, 200), " Its subscriptions move to the copy."),
            )
        )
    if subscribed or (subscribed is not None and not job.terminal):
        elements.append(
            button(
                "Unsubscribe" if subscribed else "Subscribe",
                Action.JOB_UNSUBSCRIBE if subscribed else Action.JOB_SUBSCRIBE,
                ref,
            )
        )
    return actions(Block.JOB_ACTIONS, *elements)


def job_card(
    job: DataJobDetail,
    *,
    now: datetime,
    notes: list[str] | None = None,
    subscribed: bool | None = None,
) -> dict[str, Any]:
    """``notes`` are already-safe mrkdwn lines shown first (e.g. who cancelled it)."""
    head = f"{status_label(job.status)} *{clip(job.name, 500)}*"
    if job.status_message:
        head += f"\n{clip(job.status_message, 1000)}"
    blocks: list[dict[str, Any]] = [L.section(head)]
    if notes:
        blocks.append(L.context(*notes))
    blocks.append(
        {
            "type": "section",
            "fields": [
                mrkdwn(f"*Id*\n`{clip(job.id, 200)}`"),
                mrkdwn(f"*Type*\n{clip(job.job_type, 100)}"),
                mrkdwn(f"*Created*\n{date_token(job.created_at)}"),
                mrkdwn(f"*Updated*\n{date_token(job.updated_at)}"),
            ],
        }
    )
    if job.alignment_job:
        lines = _alignment_lines(job.alignment_job, now)
        if lines:
            blocks.append(L.section("\n".join(lines)))
    blocks += _files_blocks(job)
    timeline = _timeline_block(job)
    if timeline:
        blocks.append(timeline)
    blocks.append(job_actions(job, subscribed))
    text = f"{esc(job.status)}: {clip(job.name, 300)} ({clip(job.id, 200)})"
    return message(text, blocks[: L.MAX_BLOCKS])
