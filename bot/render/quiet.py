"""Answers to snooze, mute and undoing them, and to ``summary``. Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.values import ALL_SCOPE, DailySummary, Dest, Quiet

from .text import clip, date_token


def _what(dest: Dest, scope: str, name: str = "") -> str:
    place = "your DM" if dest.is_dm else dest.label
    if scope == ALL_SCOPE:
        return f"every-job notifications in {place}"
    if name:
        return f"*{clip(name, 150)}* (`{clip(scope, 120)}`) in {place}"
    return f"`{clip(scope, 120)}` in {place}"


def _at(ms: int) -> str:
    return date_token(datetime.fromtimestamp(ms / 1000, UTC))


def quieted_text(q: Quiet, tz: str, *, name: str = "") -> str:
    what = _what(q.dest, q.scope, name)
    if q.muted:
        text = (
            f":mute: Muted {what}: I won't tell its changes until it is unmuted (from a "
            "notification's menu, `/datajobs subscriptions`, or by subscribing again)."
        )
    else:
        text = (
            f":zzz: Snoozed {what} until {_at(q.until_ms)} ({clip(tz, 60)}). I'll keep what "
            "changes meanwhile and tell it in one summary when the snooze ends."
        )
    return text


def unquieted_text(dest: Dest, scope: str, *, was: bool, released: int, name: str = "") -> str:
    what = _what(dest, scope, name)
    what = what[0].upper() + what[1:]
    if not was:
        text = f":information_source: {what} was neither snoozed nor muted."
    elif released:
        s = "change follows" if released == 1 else "changes follow"
        text = f":bell: {what} is back on; {released} held {s} in one summary."
    else:
        text = f":bell: {what} is back on; nothing was held meanwhile."
    return text


def summary_set_text(summary: DailySummary, next_ms: int) -> str:
    where = "your DM" if summary.dest.is_dm else summary.dest.label
    text = (
        f":sunrise: A daily summary goes to {where} every day at {summary.clock} "
        f"({clip(summary.tz, 60)}); the first one {_at(next_ms)}. "
        "`/datajobs summary off` stops it."
    )
    return text


def summary_shown_text(places: list[tuple[Dest, DailySummary | None, int | None]]) -> str:
    lines = []
    for dest, summary, due in places:
        where = "Your DM" if dest.is_dm else dest.label
        if summary is None:
            lines.append(f"{where}: no daily summary.")
        else:
            nxt = f"; next {_at(due)}" if due else ""
            lines.append(f"{where}: every day at {summary.clock} ({clip(summary.tz, 60)}){nxt}.")
    lines.append("Set one with `/datajobs summary daily 09:00 [#channel|here]`.")
    text = "\n".join(lines)
    return text


def summary_off_text(dest: Dest, *, removed: bool) -> str:
    where = "your DM" if dest.is_dm else dest.label
    text = (
        f":no_bell: The daily summary of {where} is off."
        if removed
        else f":information_source: {where[0].upper()}{where[1:]} had no daily summary."
    )
    return text
