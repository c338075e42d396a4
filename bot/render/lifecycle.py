"""What Start, Skip failed files and start, and Retry say: their confirm dialogs (the job card,
a notification and Home ask the same), and the notes after them. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.ids import Action
from bot.payloads import JobRef, encode
from bot.seekrflow.models import DataJob
from bot.values import JobSnapshot

from .elements import button, confirm_dialog
from .text import clip, date_token, esc, mrkdwn, status_label


def confirm_start(name: str) -> dict[str, Any]:
    """``name``: the job's name, clipped by the caller."""
    return confirm_dialog(
        "Start this job?", f"Start the alignment of “{name}” now?", "Start", "Not now",
        style="primary",
    )  # fmt: skip


def confirm_skip(files: str, name: str) -> dict[str, Any]:
    """``files``: which files go, as the caller can name them (``the failed files``, …)."""
    return confirm_dialog(
        "Skip the failed files?",
        f"Remove {files} from “{name}” and start it?",
        "Remove and start",
        "Keep them",
    )


def confirm_retry(name: str, after: str = "") -> dict[str, Any]:
    """``after``: a sentence more, after the question."""
    return confirm_dialog(
        "Retry this job?",
        f"Make a copy of “{name}” with its good files and start it?{after}",
        "Retry",
        "Not now",
        style="primary",
    )


def started_note(user_id: str, when: datetime) -> str:
    return f":arrow_forward: Started by <@{esc(user_id)}> at {date_token(when)}"


def skipped_note(user_id: str, names: list[str], *, started: bool) -> str:
    files = ", ".join(f"`{clip(n, 60)}`" for n in names[:5])
    if len(names) > 5:
        files += f" and {len(names) - 5} more"
    then = " and started it" if started else "; it is not ready to start yet"
    return f":scissors: <@{esc(user_id)}> removed the failed files {files}{then}"


def cannot_skip(job: DataJob) -> str:
    return (
        f":information_source: Nothing skipped: *{clip(job.name, 200)}* is "
        f"{status_label(job.status)}. Skipping needs a job in review with failed files and at "
        "least one good file."
    )


def cannot_retry(job: DataJob) -> str:
    return (
        f":information_source: Not retried: *{clip(job.name, 200)}* is "
        f"{status_label(job.status)}; only failed, cancelled or stopped jobs are retried."
    )


def retry_in_flight(by: str) -> str:
    return (
        f":hourglass: A retry of this job by <@{esc(by)}> is still being confirmed with "
        "SeekrFlow, so I did not clone it again. Try again in a minute."
    )


def retry_unknown() -> str:
    return (
        ":hourglass: SeekrFlow did not answer the retry in time, and its copy is not in the "
        "list yet. I won't clone it twice: click Retry again in a minute and I'll look for it "
        "first."
    )


def retried_note(user_id: str, clone: DataJob, copied: int) -> str:
    subs = f"; {copied} subscription{'s' if copied != 1 else ''} moved with it" if copied else ""
    return (
        f":repeat: Retried by <@{esc(user_id)}> as *{clip(clone.name, 200)}* "
        f"(`{esc(clone.id)}`, {status_label(clone.status)}){subs}"
    )


def claimed_note(user_id: str) -> str:
    return f":raising_hand: <@{esc(user_id)}> is on it"


def review_reminder(snap: JobSnapshot) -> dict[str, Any]:
    """The one reminder for a job still in review that nobody claimed, with Claim."""
    text = (
        f":alarm_clock: *{clip(snap.name or snap.id, 200)}* still needs review, and nobody has "
        "claimed it."
    )
    ref = encode(JobRef(job_id=snap.id))
    return {
        "text": f"{clip(snap.name or snap.id, 200)} still needs review",
        "blocks": [
            {"type": "section", "text": mrkdwn(text),
             "accessory": button("Claim", Action.NOTE_CLAIM, ref)},
        ],
    }  # fmt: skip


def slow_note(snap: JobSnapshot, eta_min: int) -> dict[str, Any]:
    """A running job taking half again as long as its ETA said: one note in its thread."""
    pct = f" ({snap.progress:.0f}% done)" if snap.progress is not None else ""
    text = (
        f":turtle: *{clip(snap.name or snap.id, 200)}* looks slow: about {eta_min} min were left "
        f"when it was first seen running, and it is still running{pct}."
    )
    return {"text": f"{clip(snap.name or snap.id, 200)} looks slow", "blocks": [
        {"type": "section", "text": mrkdwn(text)}]}  # fmt: skip
