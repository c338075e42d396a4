"""bot.services.quieting.tomorrow_at: "until tomorrow 9:00" in the person's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.services.quieting import tomorrow_at


def ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def test_tomorrow_is_the_next_day_where_the_person_is() -> None:
    # 23:30 UTC on 4 Dec is already 5 Dec 00:30 in Berlin: tomorrow there is 6 Dec
    now = ms(datetime(2026, 12, 4, 23, 30, tzinfo=UTC))
    at = datetime.fromtimestamp(
        tomorrow_at(now, "Europe/Berlin", 9, 0) / 1000, ZoneInfo("Europe/Berlin")
    )
    assert (at.day, at.hour, at.minute) == (6, 9, 0)
    utc = datetime.fromtimestamp(tomorrow_at(now, "UTC", 9, 0) / 1000, UTC)
    assert (utc.day, utc.hour) == (5, 9)


def test_a_day_with_a_clock_change_still_ends_at_nine_local() -> None:
    # the night before Europe's clocks go back (25 Oct 2026)
    now = ms(datetime(2026, 10, 24, 12, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    at = datetime.fromtimestamp(
        tomorrow_at(now, "Europe/Berlin", 9, 0) / 1000, ZoneInfo("Europe/Berlin")
    )
    assert (at.month, at.day, at.hour) == (10, 25, 9)


def test_an_unknown_zone_is_utc() -> None:
    now = ms(datetime(2026, 12, 4, 12, 0, tzinfo=UTC))
    assert tomorrow_at(now, "Mars/Olympus", 9, 0) == tomorrow_at(now, "UTC", 9, 0)
