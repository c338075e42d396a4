"""The daily summary: a target's last 24 hours of subscribed jobs, as Block Kit. Pure."""

from __future__ import annotations

from typing import Any

from bot.values import Dest

from . import limits as L
from .notification import _inspect_button, says
from .text import clip, esc, mrkdwn, status_emoji

ATTENTION = ("failed", "needs_review")
BUTTONS = 20
"""Jobs needing attention shown with their own Inspect button; the rest are named in text."""


def latest_by_job(outcomes: list[tuple[str, str, str, int]]) -> dict[str, tuple[str, str]]:
    """job id -> (latest status, name) from (job, status, name, at) oldest first."""
    out: dict[str, tuple[str, str]] = {}
    for job, status, name, _at in outcomes:
        out[job] = (status, name or out.get(job, ("", ""))[1])
    return out


def render_daily(
    dest: Dest, outcomes: list[tuple[str, str, str, int]], *, at: str = "", tz: str | None = None
) -> dict[str, Any]:
    jobs = latest_by_job(outcomes)
    counts: dict[str, int] = {}
    for status, _name in jobs.values():
        counts[status] = counts.get(status, 0) + 1
    whose = "your subscribed jobs" if dest.is_dm else f"{dest.label}'s subscribed jobs"
    if not jobs:
        text = (
            f":sunrise: Daily summary: none of {whose} finished or needed review in the last 24 h."
        )
        return {"text": text, "blocks": [L.section(text), L.context(_when(at, tz))]}
    tally = ", ".join(
        f"{status_emoji(st)} {c} {esc(st).replace('_', ' ')}" for st, c in sorted(counts.items())
    )
    head = f":sunrise: *Daily summary* of {whose}, last 24 h: {len(jobs)} jobs"
    blocks: list[dict[str, Any]] = [L.section(f"{head}\n{tally}")]
    attention = [(j, st, n) for j, (st, n) in jobs.items() if st in ATTENTION]
    if attention:
        blocks.append(L.section(f"*Need attention ({len(attention)})*"))
        for job, st, name in attention[:BUTTONS]:
            line = f"{status_emoji(st)} *{clip(name or job, 150)}* {says(st)} · `{esc(job)}`"
            blocks.append(
                {"type": "section", "text": mrkdwn(line), "accessory": _inspect_button(job)}
            )
        rest = [
            f"{status_emoji(st)} *{clip(n or j, 100)}* {says(st)} · `{esc(j)}`"
            for j, st, n in attention[BUTTONS:]
        ]
        chunks, _left = L.chunk_lines(rest, max_chunks=20)
        blocks += [L.section(chunk) for chunk in chunks]
    else:
        blocks.append(L.section(":white_check_mark: Nothing needs attention."))
    blocks.append(L.context(_when(at, tz)))
    text = f"Daily summary: {len(jobs)} jobs in the last 24 h ({tally})"
    if attention:
        text += f"; {len(attention)} need attention"
    return {"text": clip(text, 2900), "blocks": blocks[: L.MAX_BLOCKS]}


def _when(at: str, tz: str | None) -> str:
    when = f"every day at {clip(at, 10)} ({clip(tz or 'UTC', 60)})" if at else "every day"
    return f"Sent {when} · change it with `/datajobs summary`"
