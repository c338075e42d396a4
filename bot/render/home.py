"""A person's App Home tab: who acts, what needs them, what runs, what they follow. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.ids import Action
from bot.outcomes import HomeJobs
from bot.payloads import JobRef, SubRef, encode
from bot.seekrflow.models import DataJob, DataJobDetail
from bot.values import Identity, Mode, Subscription

from . import limits as L
from .elements import actions, button
from .job_card import eta_text
from .jobs_list import job_headline, job_updated_line
from .lifecycle import confirm_retry, confirm_skip, confirm_start
from .subscriptions import events_text
from .text import clip, date_token, percent, progress_bar

NEEDS_SHOWN = 8
ACTIVE_SHOWN = 8
SUBS_SHOWN = 10
MAX_HOME_BLOCKS = 100  # Home views allow 100 blocks


def _who(identity: Identity) -> dict[str, Any]:
    if identity.mode is Mode.PERSONAL:
        acct = f" (account `{clip(identity.account, 80)}`)" if identity.account else ""
        text = f":bust_in_silhouette: You act with *your own SeekrFlow key*{acct}."
        label = "Link another key"
    elif identity.mode is Mode.TEAM and identity.operator:
        text = ":busts_in_silhouette: You act with the *team key*, as an *operator*."
        label = "Link your own key"
    elif identity.mode is Mode.TEAM:
        text = (
            ":busts_in_silhouette: You act with the *team key*, for reading: starting, "
            "retrying and cancelling need an operator, or your own key."
        )
        label = "Link your own key"
    else:
        text = ":no_entry: No SeekrFlow key acts for you here: link your own to see your jobs."
        label = "Link key"
    return L.section(text, accessory=button(label, Action.HOME_LOGIN, "login", style="primary"))


def _ref(job: DataJob) -> str:
    return encode(JobRef(job_id=job.id))


def _next_action(job: DataJob) -> dict[str, Any] | None:
    name = clip(job.name, 150)
    if job.status == "needs_review":
        return button(
            "Skip failed files and start",
            Action.HOME_SKIP_START,
            _ref(job),
            style="primary",
            confirm=confirm_skip("the failed files", name),
        )
    if job.status == "ready_to_start":
        return button(
            "Start",
            Action.HOME_START,
            _ref(job),
            style="primary",
            confirm=confirm_start(name),
        )
    if job.status in ("failed", "cancelled", "stopped"):
        return button(
            "Retry",
            Action.HOME_RETRY,
            _ref(job),
            confirm=confirm_retry(name),
        )
    return None


def _inspect(job: DataJob) -> dict[str, Any]:
    return button("Inspect", Action.HOME_INSPECT, _ref(job))


def _line(job: DataJob) -> str:
    return f"{job_headline(job)}\n{job_updated_line(job)}"


def _progress(job: DataJob, now: datetime) -> str:
    aj = job.alignment_job if isinstance(job, DataJobDetail) else None
    if aj is None:
        return _line(job)
    parts = [job_headline(job)]
    pct = percent(aj.progress)
    if pct is not None:
        parts.append(f"`{progress_bar(pct)}`")
    eta = eta_text(aj, now)
    if eta:
        parts.append(f"ETA {eta}")
    if aj.current_step:
        parts.append(f"step: {clip(aj.current_step, 120)}")
    return "\n".join(parts)


def _jobs_part(jobs: HomeJobs) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [L.header("Needs you")]
    if not jobs.needs:
        blocks.append(L.context("Nothing needs you: no job waits for review or a start, "
                                "and none failed this week."))  # fmt: skip
    for job in jobs.needs[:NEEDS_SHOWN]:
        blocks.append(L.section(_line(job)))
        nxt = _next_action(job)
        blocks.append(actions(None, *([nxt] if nxt else []), _inspect(job)))
    if len(jobs.needs) > NEEDS_SHOWN:
        blocks.append(L.context(L.more_note(len(jobs.needs) - NEEDS_SHOWN, "jobs need you")
                                + ": `/datajobs list status:needs_review,failed`"))  # fmt: skip
    blocks.append(L.header("Running"))
    if not jobs.active:
        blocks.append(L.context("No job is running or waiting to run."))
    for job in jobs.active[:ACTIVE_SHOWN]:
        blocks.append(L.section(_progress(job, jobs.at), accessory=_inspect(job)))
    if len(jobs.active) > ACTIVE_SHOWN:
        blocks.append(L.context(L.more_note(len(jobs.active) - ACTIVE_SHOWN, "jobs under way")
                                + ": `/datajobs list status:running,queued,pending`"))  # fmt: skip
    return blocks


def _sub_row(sub: Subscription) -> dict[str, Any]:
    what = (
        "*Every job* your key can see"
        if sub.all_jobs
        else f"*{clip(sub.job_name or sub.job_id, 200)}* (`{clip(sub.job_id, 120)}`)"
    )
    ref = encode(SubRef(dest=sub.dest, job_id=sub.job_id, key_ref=sub.key_ref))
    return L.section(
        f"{what}\nI DM you when it {events_text(sub.events)}.",
        accessory=button("Unsubscribe", Action.HOME_UNSUBSCRIBE, ref),
    )


def _subs_part(subs: Sequence[Subscription]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [L.header("Your subscriptions")]
    if not subs:
        blocks.append(L.context("You follow no job. `/datajobs subscribe <job>` DMs you when "
                                "it finishes or needs you."))  # fmt: skip
    blocks += [_sub_row(s) for s in subs[:SUBS_SHOWN]]
    if len(subs) > SUBS_SHOWN:
        blocks.append(L.context(L.more_note(len(subs) - SUBS_SHOWN, "subscriptions")
                                + ": `/datajobs subscriptions mine`"))  # fmt: skip
    return blocks


def home_view(
    identity: Identity,
    jobs: HomeJobs | None,
    subs: Sequence[Subscription],
    *,
    note: str | None = None,
    problem: str | None = None,
) -> dict[str, Any]:
    """``note``: already-safe mrkdwn saying what the last click did; ``problem``: why the jobs
    could not be read (from outside: escaped here)."""
    blocks: list[dict[str, Any]] = [L.header("Data jobs")]
    if note:
        blocks.append(L.context(note))
    blocks.append(_who(identity))
    blocks.append(actions(None, button("Refresh", Action.HOME_REFRESH, "refresh")))
    if problem:
        blocks.append(L.section(f":warning: I could not read your jobs: {clip(problem, 500)}"))
    elif jobs is not None:
        blocks += _jobs_part(jobs)
        blocks.append(L.context(f"From the newest {jobs.looked} job(s) your key can see, read "
                                f"{date_token(jobs.at, '{time}')}. `/datajobs list` shows them "
                                "all."))  # fmt: skip
    blocks += _subs_part(subs)
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}
