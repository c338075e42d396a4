"""Escaping, clipping, dates, emoji and progress: the text primitives of every message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bot.render.text import (
    UNKNOWN_STATUS_EMOJI,
    clip,
    cut,
    date_token,
    esc,
    message,
    mrkdwn,
    progress_bar,
    status_label,
)


def test_escapes_only_the_three_characters():
    assert esc("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d \"e\" 'f'"
    assert esc("&amp;") == "&amp;amp;"  # escaped once more: shows as typed
    assert esc(None) == ""


def test_clip_never_cuts_inside_an_entity():
    for n in range(1, 40):
        out = clip("<<<&&&>>>" * 3, n)
        assert len(out) <= n
        body = out.removesuffix("…")
        assert body.count("&") == body.count(";"), out


def test_clip_keeps_short_text_whole():
    assert clip("fine", 10) == "fine"
    assert clip("x" * 20, 10) == "x" * 9 + "…"
    assert cut("y" * 5, 5) == "yyyyy"


def test_date_token_has_a_utc_fallback():
    when = datetime(2026, 11, 23, 16, 40, 5, tzinfo=UTC)
    assert date_token(when) == (
        "<!date^1795452005^{date_short_pretty} {time}|2026-11-23 16:40 UTC>"
    )
    naive = datetime(2026, 11, 23, 16, 40, 5)
    assert date_token(naive) == date_token(when)
    other_zone = when.astimezone(timezone(timedelta(hours=5)))
    assert date_token(other_zone) == date_token(when)
    assert date_token(None) == "—"


def test_status_emoji_known_and_unknown():
    assert status_label("failed") == ":x: failed"
    assert status_label("completed") == ":white_check_mark: completed"
    assert status_label("teleporting") == f"{UNKNOWN_STATUS_EMOJI} teleporting"
    assert status_label("<!here>") == f"{UNKNOWN_STATUS_EMOJI} &lt;!here&gt;"


def test_progress_bar_bounds():
    assert progress_bar(0).startswith("░") and progress_bar(0).endswith(" 0%")
    assert progress_bar(100) == "▓" * 20 + " 100%"
    assert progress_bar(150) == progress_bar(100)
    assert progress_bar(-3) == progress_bar(0)
    assert progress_bar(42).count("▓") == 8


def test_messages_have_a_fallback_and_text_objects_are_verbatim():
    msg = message("x" * 5000, [{"type": "divider"}])
    assert len(msg["text"]) == 3000 and msg["blocks"]
    assert mrkdwn("hi") == {"type": "mrkdwn", "text": "hi", "verbatim": True}
    assert "link_names" not in msg and "parse" not in msg
