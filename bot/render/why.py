"""``/datajobs why <job>``: what the bot knows of one job's notifications, where the person can
see them. Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.outcomes import Place
from bot.values import Dest, HistoryEntry, Seen

from . import limits as L
from .subscriptions import events_text, quiet_text
from .text import clip, date_token, esc, message, status_label

SHOWN = 15

SAYS = {
    Seen.QUEUED: "queued to be sent",
    Seen.SENT: "sent",
    Seen.FILTERED: "filtered out: the subscription's events don't include it",
    Seen.SNOOZED: "held by a snooze (told in one summary when it ends)",
    Seen.MUTED: "not told: muted",
    Seen.PAUSED: "held while the subscription's key was paused (told when it works again)",
    Seen.CAUGHT_UP: "held for the catch-up summary after the key worked again",
    Seen.BROKEN: "not sent: I can't post there",
    Seen.FINISHED_FIRST: "the job had already finished when someone tried to subscribe",
}


def _where(dest: Dest) -> str:
    return "Your DM" if dest.is_dm else dest.label


def _state(p: Place) -> str:
    if p.sub is None:
        return "not subscribed"
    bits = [
        "every job" if p.sub.all_jobs else "this job",
        f"when it {events_text(p.sub.events)}",
    ]
    if p.broken:
        state = f":warning: broken ({clip(p.broken, 80)})"
    elif p.paused:
        state = ":double_vertical_bar: paused (its key stopped working)"
    elif p.quiet:
        state = quiet_text(p.quiet)
    else:
        state = ":large_green_circle: active"
    return f"subscribed to {', '.join(bits)} · {state}"


def _line(e: HistoryEntry, links: dict[str, str]) -> str:
    when = date_token(datetime.fromtimestamp(e.at_ms / 1000, UTC))
    what = SAYS.get(e.what, esc(e.what))
    if e.what is Seen.SENT:
        via = {"snooze": " in the summary after a snooze", "catchup": " in the catch-up summary"}
        what = "sent" + via.get(e.via, "")
        link = links.get(e.ts)
        if link:
            what = f"<{link}|{what}>"
    status = status_label(e.status) if e.status else "—"
    return f"• {when} · *{status}* · {_where(e.dest)}: {what}"


def render_why(
    job_id: str,
    name: str,
    status: str,
    places: list[Place],
    history: list[HistoryEntry],
    *,
    finished: bool,
) -> dict[str, Any]:
    head = f":mag: *Why: {clip(name or job_id, 150)}* (`{esc(job_id)}`), now {status_label(status)}"
    blocks: list[dict[str, Any]] = [L.section(head)]
    for p in places:
        blocks.append(L.section(f"*{_where(p.dest)}*: {_state(p)}"))
    here = {p.dest for p in places}
    sent = {(e.dest, e.status, e.occurrence) for e in history if e.what is Seen.SENT}
    seen = [
        e
        for e in history
        if e.dest in here
        and not (e.what is Seen.QUEUED and (e.dest, e.status, e.occurrence) in sent)
    ]
    links: dict[str, str] = {}
    for p in places:
        links.update(p.links)
    if seen:
        lines = [_line(e, links) for e in seen[:SHOWN]]
        chunks, _ = L.chunk_lines(lines, max_chunks=5)
        blocks.append(L.section("*What I saw, newest first*"))
        blocks += [L.section(c) for c in chunks]
        if len(seen) > SHOWN:
            blocks.append(L.context(f"{len(seen) - SHOWN} older lines not shown"))
    elif finished and not any(p.sub for p in places):
        blocks.append(
            L.section(
                "It finished before any subscription here, so there was nothing to tell. "
                "Subscriptions end when their job finishes."
            )
        )
    elif any(p.sub for p in places):
        blocks.append(L.section("I have seen no status change of it since it was subscribed."))
    else:
        blocks.append(
            L.section(
                "Nothing here is subscribed to it, and I have no record of it here. "
                f"`/datajobs subscribe {esc(job_id)}` tells you of its changes."
            )
        )
    text = f"Why: {clip(name or job_id, 150)} ({status_label(status)})"
    return message(text, blocks[: L.MAX_BLOCKS])
