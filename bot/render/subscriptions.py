"""Answers to subscribe / unsubscribe, and the ``subscriptions`` list with Unsubscribe buttons.

Pure: data in, Block Kit out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.ids import Action
from bot.payloads import QuietRef, SubRef, SubsPage, encode
from bot.values import ALL_SCOPE, DEFAULT_EVENTS, Dest, KeyRef, Quiet, Subscription

from . import limits as L
from .elements import actions, button, option, overflow
from .notices import why_broken
from .text import clip, date_token, message, status_label


def events_text(events: tuple[str, ...]) -> str:
    if tuple(sorted(events)) == tuple(sorted(DEFAULT_EVENTS)):
        return "completes, fails, is cancelled or stopped, or needs review"
    return "becomes " + " or ".join(clip(e.replace("_", " "), 30) for e in events)


def where(dest: Dest) -> str:
    return "DM you" if dest.is_dm else f"post in {dest.label}"


def _job(name: str | None, job_id: str) -> str:
    return f"*{clip(name or job_id, 200)}* (`{clip(job_id, 120)}`)"


def subscribed_text(
    dest: Dest,
    job_id: str,
    name: str,
    events: tuple[str, ...],
    *,
    created: bool,
    previous: tuple[str, ...] = (),
) -> str:
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
    return text


def subscribed_all_text(
    dest: Dest, events: tuple[str, ...], *, created: bool, previous: tuple[str, ...] = ()
) -> str:
    what = f"any job {events_text(events)} — including jobs created from now on"
    if created:
        text = f":bell: Subscribed to every job. I'll {where(dest)} when {what}."
    elif tuple(previous) == tuple(events):
        text = ":white_check_mark: Already subscribed to every job. Nothing changed."
    else:
        text = f":bell: Updated: I'll now {where(dest)} when {what}."
    return text


def already_finished_text(job_id: str, name: str, status: str) -> str:
    text = (
        f":information_source: {_job(name, job_id)} already finished "
        f"({status_label(status)}). There is nothing more to tell, so I did not subscribe."
    )
    return text


def unsubscribed_text(dest: Dest, job_id: str | None, *, removed: bool) -> str:
    what = "every job" if job_id is None else f"`{clip(job_id, 120)}`"
    place = "your DM" if dest.is_dm else dest.label
    if removed:
        text = f":no_bell: Unsubscribed {place} from {what}."
    else:
        text = f":information_source: {place.capitalize()} was not subscribed to {what}."
    return text


def quiet_text(q: Quiet | None) -> str:
    """How a row says it is quieted ('' when it is not)."""
    if q is None:
        return ""
    if q.muted:
        return ":mute: muted"
    return f":zzz: snoozed until {date_token(datetime.fromtimestamp(q.until_ms / 1000, UTC))}"


def _menu(ref: SubRef, quiet: Quiet | None, subscribed: bool = True) -> dict[str, Any]:
    def opt(op: str, text: str) -> dict[str, Any]:
        value = QuietRef(op=op, dest=ref.dest, job_id=ref.job_id, key_ref=ref.key_ref)
        return option(text, encode(value))

    what = "these" if ref.job_id is None else "this job"
    opts = [opt("hour", "Snooze for 1 hour"), opt("morning", "Snooze until tomorrow 9:00")]
    opts.append(opt("unquiet", "Unsnooze / unmute") if quiet else opt("mute", f"Mute {what}"))
    if subscribed:
        opts.append(opt("unsubscribe", "Unsubscribe"))
    return overflow(Action.SUBS_MENU, opts)


def _row(sub: Subscription, quiet: Quiet | None, paused: bool) -> dict[str, Any]:
    if sub.all_jobs:
        head = "*Every job*, including new ones"
    else:
        head = _job(sub.job_name, sub.job_id or "")
    line = f"{head}\n_when it {events_text(sub.events)}_"
    state = [
        t
        for t in (
            quiet_text(quiet),
            ":double_vertical_bar: paused (its key stopped working)" if paused else "",
        )
        if t
    ]
    if state:
        line += "\n" + " · ".join(state)
    ref = SubRef(dest=sub.dest, job_id=sub.job_id, key_ref=sub.key_ref)
    return L.section(line, accessory=_menu(ref, quiet))


def _quiet_row(dest: Dest, q: Quiet) -> dict[str, Any]:
    """A job quieted here without a subscription of its own (it comes with an every-job one)."""
    line = f"`{clip(q.scope, 120)}` (through the every-job subscription)\n{quiet_text(q)}"
    return L.section(line, accessory=_menu(SubRef(dest=dest, job_id=q.scope), q, subscribed=False))


PAGE_ROWS = 15


def subscriptions_list(
    dest: Dest,
    subs: list[Subscription],
    *,
    broken: str | None = None,
    note: str | None = None,
    quiets: dict[str, Quiet] | None = None,
    paused: frozenset[KeyRef] = frozenset(),
    page: int = 0,
    own: int | None = None,
) -> dict[str, Any]:
    """What one target is subscribed to, a page at a time, each row with a menu (snooze, mute,
    unsubscribe). ``own``: in a channel, how many subscriptions the person has by DM."""
    quiets = quiets or {}
    whose = "Your subscriptions (by DM)" if dest.is_dm else f"Subscriptions of {dest.label}"
    blocks: list[dict[str, Any]] = []
    if note:
        blocks.append(L.context(note))
    rows: list[dict[str, Any]] = []
    for s in subs:
        scope = ALL_SCOPE if s.all_jobs else (s.job_id or "")
        rows.append(_row(s, quiets.get(scope), s.key_ref in paused))
    with_rows = {s.job_id for s in subs}
    rows += [
        _quiet_row(dest, q)
        for scope, q in sorted(quiets.items())
        if scope != ALL_SCOPE and scope not in with_rows
    ]
    yours = _own_line(own)
    if not rows:
        text = f"{whose}: none. Subscribe with `/datajobs subscribe <id>` or `subscribe all`."
        blocks.append(L.section(text))
        if yours:
            blocks.append(L.context(yours))
        return message(f"{text} {yours}".strip(), blocks)
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    page = min(max(0, page), pages - 1)
    counted = f"*{whose}* ({len(subs)})"
    if pages > 1:
        counted += f" · page {page + 1} of {pages}"
    blocks.append(L.section(counted))
    if broken:
        blocks.append(
            L.context(
                f":warning: Paused: {clip(why_broken(broken), 200)}. "
                "Subscribe again once that is fixed."
            )
        )
    blocks += rows[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(
                button("Previous", Action.SUBS_PAGE, encode(SubsPage(dest=dest, page=page - 1)))
            )
        if page < pages - 1:
            nav.append(button("Next", Action.SUBS_PAGE, encode(SubsPage(dest=dest, page=page + 1))))
        blocks.append(actions(None, *nav))
    if yours:
        blocks.append(L.context(yours))
    return message(f"{whose}: {len(subs)}", blocks[: L.MAX_BLOCKS])


def _own_line(own: int | None) -> str:
    if not own:
        return ""
    subs = "subscription" if own == 1 else "subscriptions"
    return f"You also have {own} {subs} of your own (by DM): `/datajobs subscriptions mine`"
