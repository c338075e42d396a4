"""Job notifications as Block Kit: one job's new status, or a digest of many. Pure.

Input is the snapshot the watcher stored when it saw the transition
(``bot.values.JobSnapshot``): no Slack, no I/O. Everything that
came from SeekrFlow is escaped for mrkdwn; every message has a text fallback.
"""

from __future__ import annotations

from typing import Any

from bot.ids import Action
from bot.payloads import JobRef, QuietRef, RowAction, encode
from bot.values import JobSnapshot

from .elements import button, option, overflow
from .lifecycle import confirm_retry, confirm_skip
from .text import clip, cut, duration, esc, mrkdwn, progress_bar, status_emoji

QUIET_CHOICES = (
    ("hour", "Snooze this job for 1 hour"),
    ("morning", "Snooze until tomorrow 9:00"),
    ("mute", "Mute this job"),
    ("unquiet", "Unsnooze / unmute"),
    ("why", "Why did I get this?"),
)
SUMMARY_TITLES = {
    "snooze": "While it was snoozed",
    "catchup": "While its SeekrFlow key was not working",
}

MAX_FILES = 10
DIGEST_JOBS = 40
"""Jobs one digest names (well inside 50 blocks and 3,000 characters per section); a larger
burst is told in several digests, one after another, each naming its own jobs."""

SAYS = {
    "completed": "completed",
    "failed": "failed",
    "cancelled": "was cancelled",
    "stopped": "stopped",
    "needs_review": "needs review",
    "running": "is running",
    "queued": "is queued",
    "pending": "is pending",
    "ready_to_start": "is ready to start",
    "file_processing": "is processing files",
}


def says(status: str) -> str:
    return SAYS.get(status, f"is now {clip(status, 60)}")


def _headline(snap: JobSnapshot) -> str:
    name = clip(snap.name or snap.id, 150)
    return f"{status_emoji(snap.status)} *{name}* {says(snap.status)}"


def _context(snap: JobSnapshot) -> str:
    bits = [f"`{esc(snap.id)}`"]
    if snap.ran_s is not None:
        bits.append(f"ran {duration(snap.ran_s)}")
    return " · ".join(bits)


def _inspect_button(job_id: str) -> dict:
    return {
        "type": "button",
        "action_id": Action.ROW_INSPECT,
        "value": encode(RowAction(op="inspect", job_id=job_id)),
        "text": {"type": "plain_text", "text": "Inspect"},
    }


def _problems(snap: JobSnapshot) -> list[str]:
    """Status message and failed files: only for failed and needs_review."""
    if snap.status not in ("failed", "needs_review"):
        return []
    out = []
    if snap.message:
        out.append("> " + clip(snap.message, 600).replace("\n", "\n> "))
    files = snap.files
    for f in files[:MAX_FILES]:
        line = f"• `{clip(f.name or '?', 80)}`"
        if f.error:
            line += f" — {clip(f.error, 200)}"
        if f.fix:
            line += f"\n    _Suggested fix:_ {clip(f.fix, 200)}"
        out.append(line)
    if len(files) > MAX_FILES or snap.more_files:
        more = len(files) - MAX_FILES + int(snap.more_files or 0)
        out.append(f"…and {more} more failed file{'s' if more != 1 else ''}")
    return out


def quiet_menu(job_id: str, *buttons: dict[str, Any]) -> dict[str, Any]:
    """The notification's buttons, then its menu: snooze or mute the job where the message is,
    undo it, why."""
    choices = [option(text, encode(QuietRef(op=op, job_id=job_id))) for op, text in QUIET_CHOICES]
    return {"type": "actions", "elements": [*buttons, overflow(Action.NOTE_MENU, choices)]}


def next_steps(snap: JobSnapshot, claimed_by: str | None) -> list[dict[str, Any]]:
    """What a person can do from the notification: Retry a failed job; for one in review,
    Claim (or Unclaim) and, when a good file is left, Skip failed files and start."""
    ref = encode(JobRef(job_id=snap.id))
    name = clip(snap.name or snap.id, 200)
    if snap.status == "failed":
        confirm = confirm_retry(name)
        return [button("Retry", Action.NOTE_RETRY, ref, style="primary", confirm=confirm)]
    if snap.status != "needs_review":
        return []
    out = [
        button("Unclaim", Action.NOTE_UNCLAIM, ref)
        if claimed_by
        else button("Claim", Action.NOTE_CLAIM, ref)
    ]
    if snap.files and snap.good_files:
        names = ", ".join(clip(f.name or "?", 60) for f in snap.files[:6])
        confirm = confirm_skip(f"the failed files ({names})", clip(name, 80))
        out.append(
            button("Skip failed files and start", Action.NOTE_SKIP_START, ref, confirm=confirm)
        )
    return out


def progress_line(snap: JobSnapshot) -> str | None:
    """A running job's progress and ETA (live on a channel's thread root), or None."""
    if snap.status != "running" or snap.progress is None:
        return None
    line = f"`{progress_bar(snap.progress)}`"
    if snap.eta_min is not None:
        line += f" · about {duration(snap.eta_min * 60)} left"
    if snap.step:
        line += f" · {clip(snap.step, 80)}"
    return line


def render_notification(
    snap: JobSnapshot, *, thread_root: bool = False, claimed_by: str | None = None
) -> dict[str, Any]:
    """One job's new status: ``{"text", "blocks"}`` for chat.postMessage / chat.update.

    ``thread_root``: the job's first message in a channel, kept at the latest status (and,
    while it runs, its progress); later events are in its thread.
    """
    head = _headline(snap)
    blocks: list[dict] = [
        {"type": "section", "text": mrkdwn(head), "accessory": _inspect_button(snap.id)}
    ]
    problems = _problems(snap)
    if problems:
        blocks.append({"type": "section", "text": mrkdwn(cut("\n".join(problems), 2900))})
    live = progress_line(snap)
    if live:
        blocks.append({"type": "section", "text": mrkdwn(live)})
    ctx = _context(snap)
    if thread_root:
        ctx += " · updates in the thread"
    if claimed_by and snap.status == "needs_review":
        ctx = f":raising_hand: <@{esc(claimed_by)}> is on it · " + ctx
    blocks.append({"type": "context", "elements": [mrkdwn(ctx)]})
    blocks.append(quiet_menu(snap.id, *next_steps(snap, claimed_by)))
    text = f"{clip(snap.name or snap.id, 300)} {says(snap.status)}"
    if snap.message and snap.status in ("failed", "needs_review"):
        text += f": {clip(snap.message, 300)}"
    return {"text": cut(text, 3000), "blocks": blocks}


def render_summary(snaps: list[JobSnapshot], label: str, *, more: int = 0) -> dict[str, Any]:
    """Changes held back and told together (a snooze ended, a paused key works again)."""
    return render_digest(snaps, more=more, title=SUMMARY_TITLES.get(label, "Meanwhile"))


def render_digest(
    snaps: list[JobSnapshot], *, more: int = 0, title: str | None = None
) -> dict[str, Any]:
    """Many jobs changed at once in one place: one message naming each of ``snaps`` (at most
    ``DIGEST_JOBS``); ``more``: how many others changed with them and follow in the next
    digest(s). ``title``: why they are told together (a summary after a snooze)."""
    n = len(snaps)
    counts: dict[str, int] = {}
    for s in snaps:
        counts[s.status] = counts.get(s.status, 0) + 1
    summary = ", ".join(f"{c} {esc(st).replace('_', ' ')}" for st, c in sorted(counts.items()))
    lines = []
    for s in snaps:
        line = f"{_headline(s)} · `{esc(s.id)}`"
        if s.status in ("failed", "needs_review") and s.message:
            line += f"\n    {clip(s.message, 120)}"
        lines.append(line)
    changes = "change" if n == 1 else "changes"
    head = f"*{n} subscribed jobs changed* ({summary})"
    if title:
        head = f"*{title}: {n} {changes}* ({summary})"
    if more:
        head = f"*{n + more} subscribed jobs changed*: {n} here ({summary})"
        if title:
            head = f"*{title}: {n + more} changes*, {n} here ({summary})"
    blocks: list[dict] = [{"type": "section", "text": mrkdwn(head)}]
    chunk: list[str] = []
    for line in lines:  # sections of at most ~2900 characters
        if chunk and len("\n".join([*chunk, line])) > 2900:
            blocks.append({"type": "section", "text": mrkdwn("\n".join(chunk))})
            chunk = []
        chunk.append(cut(line, 2900))
    if chunk:
        blocks.append({"type": "section", "text": mrkdwn("\n".join(chunk))})
    text = f"{n} subscribed jobs changed: {summary}"
    if title:
        text = f"{title}: {n} {changes} ({summary})"
    if more:
        follow = f"the other {more} follow in the next message{'s' if more > DIGEST_JOBS else ''}"
        blocks.append({"type": "context", "elements": [mrkdwn(f"_{follow}_")]})
        text = f"{n + more} subscribed jobs changed; {n} here ({summary}), {follow}"
    return {"text": text, "blocks": blocks[:50]}
