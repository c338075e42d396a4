"""Text primitives every render function uses: escaping, clipping, dates, emoji.

Outside text (job names, file names, messages, statuses, what a person typed)
goes through ``esc`` or ``clip`` before it reaches a Slack text field, and
mrkdwn text objects are ``verbatim`` so Slack does not auto-link or auto-mention.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

ELLIPSIS = "…"

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

STATUS_EMOJI = {
    "file_processing": ":hourglass_flowing_sand:",
    "needs_review": ":warning:",
    "ready_to_start": ":large_blue_circle:",
    "pending": ":double_vertical_bar:",
    "queued": ":inbox_tray:",
    "running": ":arrows_counterclockwise:",
    "completed": ":white_check_mark:",
    "failed": ":x:",
    "cancelled": ":no_entry_sign:",
    "stopped": ":octagonal_sign:",
}
UNKNOWN_STATUS_EMOJI = ":grey_question:"


def esc(text: object) -> str:
    """Escape ``&``, ``<`` and ``>`` (only those) for Slack mrkdwn."""
    s = "" if text is None else str(text)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: object, limit: int) -> str:
    """Escape ``text`` and cut it to at most ``limit`` characters, never inside an entity."""
    s = "" if text is None else str(text)
    full = esc(s)
    if len(full) <= limit:
        return full
    out, used = [], 0
    for ch in s:
        piece = _ESCAPES.get(ch, ch)
        if used + len(piece) > limit - len(ELLIPSIS):
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + ELLIPSIS


def cut(text: str, limit: int) -> str:
    """Cut already-safe text (no escaping) to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def status_emoji(status: str | None) -> str:
    return STATUS_EMOJI.get(status or "", UNKNOWN_STATUS_EMOJI)


def status_label(status: str | None) -> str:
    """Emoji and the escaped status, e.g. ``:x: failed``; unknown statuses shown as-is."""
    return f"{status_emoji(status)} {clip(status or 'unknown', 60)}"


def as_utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def date_token(when: datetime | None, fmt: str = "{date_short_pretty} {time}") -> str:
    """A Slack date token, shown in each reader's own time zone, with a UTC fallback."""
    if when is None:
        return "—"
    when = as_utc(when)
    fallback = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{fmt}|{fallback}>"


def duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    if seconds < 90:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def percent(value: float | str | None) -> float | None:
    """A progress value as SeekrFlow sends it (``42``, ``"42"``, ``"42%"``), or None."""
    if value is None:
        return None
    try:
        return float(str(value).strip().rstrip("%"))
    except ValueError:
        return None


def progress_bar(percent: float, width: int = 20) -> str:
    percent = max(0.0, min(100.0, percent))
    filled = round(width * percent / 100)
    return "▓" * filled + "░" * (width - filled) + f" {percent:.0f}%"


def message(text: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A message: plain ``text`` fallback (cut to 3000) beside its blocks."""
    msg: dict[str, Any] = {"text": cut(text, 3000)}
    if blocks:
        msg["blocks"] = blocks
    return msg
