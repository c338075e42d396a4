"""Parse ``/datajobs`` text once, into a typed command. No Slack, no I/O.

Slack sends command text with ``&``, ``<`` and ``>`` escaped (``&amp;`` …);
only the free-text part a person typed (a new name) is unescaped, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from bot.payloads import LIST_MAX, ListState
from bot.render.text import clip
from bot.seekrflow.errors import InvalidJobId
from bot.seekrflow.job_ids import validate_job_id
from bot.seekrflow.models import JobType, SortBy, SortOrder


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
    job_id: str


@dataclass(frozen=True)
class Rename:
    job_id: str
    name: str


@dataclass(frozen=True)
class Cancel:
    job_id: str


def unescape_slack(text: str) -> str:
    """Undo Slack's escaping of command text, once (only the three entities it uses)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def split_first(text: str) -> tuple[str, str]:
    """('inspect', 'dj-1 rest …') from 'inspect dj-1 rest …' (any whitespace)."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def job_id_arg(raw: str) -> str:
    if not raw:
        raise ParseError("Which job? Give its id, for example `dj-1b75f4d5-…`.")
    try:
        return validate_job_id(unescape_slack(raw))
    except InvalidJobId as exc:
        raise ParseError(f"`{clip(raw, 130)}` is not a job id: {clip(exc.message, 300)}") from None


def parse_job_only(rest: str) -> str:
    first, extra = split_first(rest)
    job_id = job_id_arg(first)
    if extra:
        raise ParseError(
            f"Only a job id is expected here; I don't know what to do with `{clip(extra, 100)}`."
        )
    return job_id


def parse_inspect(rest: str) -> Inspect:
    return Inspect(parse_job_only(rest))


def parse_cancel(rest: str) -> Cancel:
    return Cancel(parse_job_only(rest))


def parse_rename(rest: str) -> Rename:
    first, name_text = split_first(rest)
    job_id = job_id_arg(first)
    name = unescape_slack(name_text).strip()
    if not name:
        raise ParseError("Give the new name after the id: `rename <id> <new name>`.")
    if len(name) > 255:
        raise ParseError(f"That name is {len(name)} characters; a name can be at most 255.")
    return Rename(job_id, name)


_LIST_KEYS = {"type": "job_type", "sort": "sort_by", "order": "sort_order", "limit": "limit"}
_CHOICES = {"job_type": JobType, "sort_by": SortBy, "sort_order": SortOrder}


def parse_list(rest: str) -> ListJobs:
    values: dict[str, object] = {}
    for token in rest.split():
        key, sep, value = token.partition(":")
        field = _LIST_KEYS.get(key.lower())
        if not sep or field is None or not value:
            raise ParseError(
                f"I don't understand `{clip(token, 100)}`. Options are "
                "`type:`, `sort:`, `order:` and `limit:`."
            )
        if field in values:
            raise ParseError(f"`{clip(key, 20)}:` is given twice.")
        value = value.lower()
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
