"""Parse ``/datajobs`` text once, into a typed command. No Slack, no I/O.

Slack sends command text with ``&``, ``<`` and ``>`` escaped (``&amp;`` …);
only the free-text part a person typed (a new name) is unescaped, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

from bot.payloads import LIST_MAX, NAME_FILTER_MAX, ListState, status_mask
from bot.refs import QUOTES, Reference, RefError, Token, ref_of, split_token
from bot.render.text import clip
from bot.values import JobStatus, JobType, SortBy, SortOrder


class ParseError(Exception):
    """The text cannot be a valid command; ``message`` is safe mrkdwn for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Help:
    problem: str | None = None


@dataclass(frozen=True)
class ListJobs:
    state: ListState


@dataclass(frozen=True)
class Inspect:
    ref: Reference


@dataclass(frozen=True)
class Rename:
    ref: Reference
    name: str


@dataclass(frozen=True)
class Cancel:
    ref: Reference


def unescape_slack(text: str) -> str:
    """Undo Slack's escaping of command text, once (only the three entities it uses)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def split_first(text: str) -> tuple[str, str]:
    """('inspect', 'dj-1 rest …') from 'inspect dj-1 rest …' (any whitespace)."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


WHICH_JOB = (
    "Which job? Give its id (`dj-1b75f4d5-…`), the start of it (`dj-1b75f4`), "
    'or its name (`"Customer support refresh"`).'
)


def job_ref(token: Token | None) -> Reference:
    """The job a token names; ``ParseError`` with the reason when it cannot name one."""
    if token is None:
        raise ParseError(WHICH_JOB)
    try:
        return ref_of(Token(unescape_slack(token.text), token.quoted))
    except RefError as exc:
        raise ParseError(f"`{clip(token.text, 130)}`: {clip(exc.message, 300)}") from None


def first_ref(rest: str) -> tuple[Reference, str]:
    """The job named first in ``rest`` (a word, or a quoted name), and the text after it."""
    try:
        token, after = split_token(rest)
    except RefError as exc:
        raise ParseError(exc.message) from None
    return job_ref(token), after


def parse_job_only(rest: str) -> Reference:
    ref, extra = first_ref(rest)
    if extra.strip():
        raise ParseError(
            f"Only one job is expected here; I don't know what to do with `{clip(extra, 100)}`. "
            'A name with spaces goes in quotes: `"Customer support refresh"`.'
        )
    return ref


def parse_inspect(rest: str) -> Inspect:
    return Inspect(parse_job_only(rest))


def parse_cancel(rest: str) -> Cancel:
    return Cancel(parse_job_only(rest))


def parse_rename(rest: str) -> Rename:
    ref, name_text = first_ref(rest)
    name = unescape_slack(name_text).strip()
    if not name:
        raise ParseError(
            "Give the new name after the job: `rename <id> <new name>` "
            'or `rename "Old name" New name`.'
        )
    if len(name) > 255:
        raise ParseError(f"That name is {len(name)} characters; a name can be at most 255.")
    return Rename(ref, name)


_LIST_KEYS = {
    "type": "job_type",
    "sort": "sort_by",
    "order": "sort_order",
    "limit": "limit",
    "status": "status_bits",
    "name": "name",
}
_CHOICES = {"job_type": JobType, "sort_by": SortBy, "sort_order": SortOrder}
_OPTION = re.compile(r"(\w+):")


def _options(rest: str) -> list[tuple[str, str, str]]:
    """``(as typed, key, value)`` for each ``key:value``; a value may be quoted (``name:"a b"``)."""
    found = []
    rest = rest.strip()
    while rest:
        m = _OPTION.match(rest)
        if m and len(rest) > m.end() and rest[m.end()] in QUOTES:
            try:
                token, after = split_token(rest[m.end() :])
            except RefError as exc:
                raise ParseError(exc.message) from None
            assert token is not None
            found.append((rest[: len(rest) - len(after)], m.group(1), token.text))
        else:
            word, after = split_first(rest)
            key, sep, value = word.partition(":")
            found.append((word, key if sep else "", value))
        rest = after.strip()
    return found


def _statuses(value: str) -> int:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    if names in (["any"], ["all"]):
        return 0
    allowed = {s.value for s in JobStatus}
    bad = [n for n in names if n not in allowed]
    if bad or not names:
        listed = ", ".join(f"`{s.value}`" for s in JobStatus)
        raise ParseError(
            f"`status:` takes job statuses separated by commas, any of {listed}; "
            f"got `{clip(bad[0] if bad else value, 40)}`."
        )
    return status_mask(names)


def parse_list(rest: str) -> ListJobs:
    values: dict[str, object] = {}
    for typed, key, raw in _options(unescape_slack(rest)):
        field = _LIST_KEYS.get(key.lower())
        if field is None or not raw:
            raise ParseError(
                f"I don't understand `{clip(typed, 100)}`. Options are `type:`, `status:`, "
                "`name:`, `sort:`, `order:` and `limit:`."
            )
        if field in values:
            raise ParseError(f"`{clip(key, 20)}:` is given twice.")
        if field == "name":
            name = " ".join(raw.split())
            if not name or len(name) > NAME_FILTER_MAX or not name.isprintable():
                raise ParseError(
                    f"`name:` takes 1 to {NAME_FILTER_MAX} characters of a job's name; "
                    'put one with spaces in quotes, `name:"support refresh"`.'
                )
            values[field] = name
            continue
        value = raw.lower()
        if field == "status_bits":
            values[field] = _statuses(value)
            continue
        if field == "limit":
            if not (value.isascii() and value.isdigit() and len(value) <= 4) or not (
                1 <= int(value) <= LIST_MAX
            ):
                raise ParseError(
                    f"`limit:` must be a number from 1 to {LIST_MAX}; got `{clip(value, 20)}`."
                )
            values[field] = int(value)
            continue
        choices = _CHOICES[field]
        if field == "job_type" and value in ("any", "all"):
            continue
        if value not in {c.value for c in choices}:
            allowed = ", ".join(f"`{c.value}`" for c in choices)
            raise ParseError(f"`{key}:` must be one of {allowed}; got `{clip(value, 60)}`.")
        values[field] = value
    try:
        return ListJobs(ListState(**values))
    except ValidationError:  # pragma: no cover - every field is checked above
        raise ParseError("Those list options don't fit together.") from None
