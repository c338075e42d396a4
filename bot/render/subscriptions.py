"""Answers to subscribe / unsubscribe, and the ``subscriptions`` list with Unsubscribe buttons.

Pure: data in, Block Kit out.
"""

from __future__ import annotations

from typing import Any

from bot.ids import Action
from bot.payloads import SubRef, encode
from bot.values import DEFAULT_EVENTS, Dest, Subscription

from . import limits as L
from .elements import button
from .notices import why_broken
from .text import clip, message, status_label

MAX_ROWS = 40


def events_text(events: tuple[str, ...]) -> str:
    if tuple(sorted(events)) == tuple(sorted(DEFAULT_EVENTS)):
        return "completes, fails, is cancelled or stopped, or needs review"
    return "becomes " + " or ".join(clip(e.replace("_", " "), 30) for e in events)


def where(dest: Dest) -> str:
    return "DM you" if dest.is_dm else f"post in {dest.label}"


def _job(name: str | None, job_id: str) -> str:
    return f"*{clip(name or job_id, 200)}* (`{clip(job_id, 120)}`)"


def subscribed(
    dest: Dest,
    job_id: str,
    name: str,
    events: tuple[str, ...],
    *,
    created: bool,
    previous: tuple[str, ...] = (),
) -> dict[str, Any]:
    what = f"{_job(name, job_id)} {events_text(events)}"
    if created:
        text = f":bell: Subscribed. I'll {where(dest)} when {what}."
    elif tuple(previous) == tuple(events):
        text = (
            f":white_check_mark: Already subscribed: I'll {where(dest)} when {what}. "
            "Nothing changed."
        )
    else:
        text = f":bell: Updated: I'll now {where(dest)} when {what}."
    return message(text, [L.section(text)])


def subscribed_all(
    dest: Dest, events: tuple[str, ...], *, created: bool, previous: tuple[str, ...] = ()
) -> dict[str, Any]:
    what = f"any job {events_text(events)} — including jobs created from now on"
    if created:
        text = f":bell: Subscribed to every job. I'll {where(dest)} when {what}."
    elif tuple(previous) == tuple(events):
        text = ":white_check_mark: Already subscribed to every job. Nothing changed."
    else:
        text = f":bell: Updated: I'll now {where(dest)} when {what}."
    return message(text, [L.section(text)])


def already_finished(job_id: str, name: str, status: str) -> dict[str, Any]:
    text = (
        f":information_source: {_job(name, job_id)} already finished "
        f"({status_label(status)}). There is nothing more to tell, so I did not subscribe."
    )
    return message(text, [L.section(text)])


def unsubscribed(dest: Dest, job_id: str | None, *, removed: bool) -> dict[str, Any]:
    what = "every job" if job_id is None else f"`{clip(job_id, 120)}`"
    place = "your DM" if dest.is_dm else dest.label
    if removed:
        text = f":no_bell: Unsubscribed {place} from {what}."
    else:
        text = f":information_source: {place.capitalize()} was not subscribed to {what}."
    return message(text, [L.section(text)])


def channel_problem(text: str) -> dict[str, Any]:
    return message(text, [L.section(text)])


def _row(sub: Subscription) -> dict[str, Any]:
    if sub.all_jobs:
        head = "*Every job*, including new ones"
    else:
        head = _job(sub.job_name, sub.job_id or "")
    line = f"{head}\n_when it {events_text(sub.events)}_"
    ref = encode(SubRef(dest=sub.dest, job_id=sub.job_id, key_ref=sub.key_ref))
    return L.section(line, accessory=button("Unsubscribe", Action.SUBS_UNSUBSCRIBE, ref))


def subscriptions_list(
    dest: Dest, subs: list[Subscription], *, broken: str | None = None, note: str | None = None
) -> dict[str, Any]:
    """What one target is subscribed to, each row with an Unsubscribe button."""
    whose = "Your subscriptions (by DM)" if dest.is_dm else f"Subscriptions of {dest.label}"
    blocks: list[dict[str, Any]] = []
    if note:
        blocks.append(L.context(note))
    if not subs:
        text = f"{whose}: none. Subscribe with `/datajobs subscribe <id>` or `subscribe all`."
        blocks.append(L.section(text))
        return message(text, blocks)
    blocks.append(L.section(f"*{whose}* ({len(subs)})"))
    if broken:
        blocks.append(
            L.context(
                f":warning: Paused: {clip(why_broken(broken), 200)}. "
                "Subscribe again once that is fixed."
            )
        )
    blocks += [_row(s) for s in subs[:MAX_ROWS]]
    if len(subs) > MAX_ROWS:
        blocks.append(L.context(L.more_note(len(subs) - MAX_ROWS, "subscriptions")))
    return message(f"{whose}: {len(subs)}", blocks[: L.MAX_BLOCKS])
