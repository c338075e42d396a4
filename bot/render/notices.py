"""Short messages: help, errors, outcomes of rename and cancel, the cancel prompt. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.ids import Action, Command
from bot.payloads import JobRef, encode
from bot.seekrflow.models import DataJob
from bot.values import Dest

from . import limits as L
from .elements import actions, button
from .text import clip, date_token, esc, message, status_label


def help_message(
    entries: Iterable[tuple[str, str, list[str]]], problem: str | None = None
) -> dict[str, Any]:
    """``entries`` are (usage, summary, examples); ``problem`` is already-safe mrkdwn."""
    lines = [
        f"*`{Command.DATAJOBS} {esc(usage)}`*  {esc(summary)}"
        + "".join(f"\n    e.g. `{Command.DATAJOBS} {esc(ex)}`" for ex in examples)
        for usage, summary, examples in entries
    ]
    texts, _ = L.chunk_lines(lines, max_chunks=10)
    blocks = []
    if problem:
        blocks.append(L.section(problem))
    blocks.append(L.section(f"*How to use {Command.DATAJOBS}*"))
    blocks += [L.section(t) for t in texts]
    fallback = (
        (problem + "\n" if problem else "")
        + f"Usage: {Command.DATAJOBS} "
        + " | ".join(esc(u) for u, _, _ in entries)
    )
    return message(fallback, blocks)


def notice(text: str) -> dict[str, Any]:
    """One already-safe mrkdwn sentence as a message."""
    return message(text, [L.section(text)])


def cancel_prompt(job: DataJob) -> dict[str, Any]:
    """From a list row: ask before cancelling, naming the job."""
    text = (
        f"Cancel *{clip(job.name, 500)}* (`{clip(job.id, 130)}`)? It is "
        f"{status_label(job.status)}. The alignment run stops and cannot be resumed."
    )
    ref = encode(JobRef(job_id=job.id))
    return message(
        f"Cancel {clip(job.name, 300)}?",
        [
            L.section(text),
            actions(
                None,
                button("Cancel job", Action.JOB_CANCEL, ref, style="danger"),
                button("Show the job", Action.JOB_REFRESH, ref),
            ),
        ],
    )


def cancelled_note(user_id: str, when: datetime) -> str:
    return f":no_entry_sign: Cancelled by <@{esc(user_id)}> at {date_token(when)}"


def renamed_note(user_id: str, when: datetime) -> str:
    return f":pencil2: Renamed by <@{esc(user_id)}> at {date_token(when)}"


def renamed_text(old: str, new: str, job_id: str) -> str:
    return f":pencil2: Renamed `{clip(job_id, 130)}` from *{clip(old, 300)}* to *{clip(new, 300)}*."


def not_cancellable(job: DataJob) -> str:
    return (
        f":information_source: Not cancelled: *{clip(job.name, 300)}* is "
        f"{status_label(job.status)}; only pending, queued or running jobs can be cancelled."
    )


WHY_BROKEN = {
    "is_archived": "the channel was archived",
    "channel_not_found": "the channel is gone, or it is private and I am no longer in it",
    "not_in_channel": "I am no longer in the channel",
    "account_inactive": "the account is deactivated",
    "user_not_found": "the person no longer exists in this workspace",
    "user_disabled": "the account is disabled",
}


def why_broken(reason: str) -> str:
    """Slack's error for a target that no longer takes messages, in words."""
    return WHY_BROKEN.get(reason, reason)


def broken_target_text(dest: Dest, reason: str) -> str:
    return (
        f":warning: I can no longer post job notifications in {dest.label}: "
        f"{why_broken(reason)}. Its subscriptions are paused; once that is fixed, "
        "`/datajobs subscribe` there again to resume them."
    )


HOME_LABELS = {
    Action.HOME_INSPECT: "Inspect",
    Action.HOME_START: "Start",
    Action.HOME_SKIP_START: "Skip failed files and start",
    Action.HOME_RETRY: "Retry",
}


def home_note(action: str, what: str) -> str:
    """What a click on Home did, above the refreshed Home; ``what``: the card's one line."""
    label = HOME_LABELS.get(Action(action), "Done") if action in set(Action) else "Done"
    return (
        f":white_check_mark: {label}: {what}. The job's card, with what "
        "happened, is in your Messages tab with me."
    )
