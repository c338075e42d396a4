"""Parse ``summary`` text into typed commands. Pure.

Grammar (after the subcommand word):
  summary                              show the summaries of your DM and this channel
  summary daily HH:MM [#channel|here]  set one, at a time of the setter's day
  summary off [#channel|here]          stop one
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.render.text import clip
from bot.values import DailySummary

from .parse import ParseError, unescape_slack
from .subscribe_parse import DM, Target, place_arg


@dataclass(frozen=True)
class SummaryShow:
    pass


@dataclass(frozen=True)
class SummaryOff:
    target: Target = DM


@dataclass(frozen=True)
class SummarySet:
    hour: int
    minute: int
    target: Target = DM


SUMMARY_USAGE = "`summary daily HH:MM [#channel|here]`, `summary`, or `summary off [#channel|here]`"


def parse_summary(rest: str) -> SummaryShow | SummaryOff | SummarySet:
    tokens = rest.split()
    if not tokens:
        return SummaryShow()
    word = tokens[0].lower()
    if word == "off":
        if len(tokens) > 2:
            raise ParseError(f"Too much after `off`: {SUMMARY_USAGE}.")
        return SummaryOff(place_arg(tokens[1]) if len(tokens) == 2 else DM)
    if word != "daily":
        raise ParseError(
            f"I don't understand `{clip(unescape_slack(tokens[0]), 40)}`: {SUMMARY_USAGE}."
        )
    if len(tokens) < 2:
        raise ParseError("At what time? For example `summary daily 09:00` (your time zone).")
    try:
        hour, minute = DailySummary.parse_clock(tokens[1])
    except ValueError:
        raise ParseError(
            f"`{clip(unescape_slack(tokens[1]), 20)}` is not a time of day: give it as HH:MM, "
            "for example `09:00` or `17:30` (your time zone)."
        ) from None
    if len(tokens) > 3:
        raise ParseError(f"Give at most one place after the time: {SUMMARY_USAGE}.")
    return SummarySet(hour, minute, place_arg(tokens[2]) if len(tokens) == 3 else DM)
