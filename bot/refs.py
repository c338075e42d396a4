"""How a person names a job in a command: its id, an id prefix, or its name. Pure.

- ``dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d`` (or any other ``dj-…`` id): the id itself;
- ``dj-1b75f4``: a prefix of an id, at least ``PREFIX_MIN`` hex digits after ``dj-``;
- anything else, or anything in double quotes: a name (``"Customer support refresh"``),
  matched case-insensitively, exactly first, then as a unique part of a name.

Quotes may be straight (``"``) or typographic (``“…”``, as macOS and phones type them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.seekrflow.errors import InvalidJobId
from bot.seekrflow.job_ids import validate_job_id

PREFIX_MIN = 6
NAME_MAX = 255
_UUID_ID = re.compile(r"dj-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_PREFIX = re.compile(r"dj-[0-9a-f-]+", re.I)
_OPEN = '"“”„'
QUOTES = _OPEN  # what may open a quoted name
_CLOSE = {'"': '"', "“": "”", "”": "”", "„": "“"}
_CLOSERS = '"”“'


class RefError(ValueError):
    """Text that cannot name a job; ``message`` is a sentence for the person (not escaped)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RefKind(StrEnum):
    ID = "id"
    PREFIX = "prefix"
    NAME = "name"


@dataclass(frozen=True)
class Reference:
    """A job as the person named it; only ``ID`` needs no lookup."""

    kind: RefKind
    text: str

    @classmethod
    def of_id(cls, job_id: str) -> Reference:
        return cls(RefKind.ID, validate_job_id(job_id))

    @property
    def job_id(self) -> str | None:
        """The id, when the person gave one."""
        return self.text if self.kind is RefKind.ID else None

    def matches(self, job_id: str, name: str) -> bool:
        """Whether a job could be the one meant (exact or partial)."""
        if self.kind is RefKind.ID:
            return job_id == self.text
        if self.kind is RefKind.PREFIX:
            return job_id.lower().startswith(self.text)
        return self.text.casefold() in name.casefold()

    def exact(self, job_id: str, name: str) -> bool:
        """Whether a job is exactly the one meant (a name equal but for case)."""
        if self.kind is RefKind.NAME:
            return name.casefold() == self.text.casefold()
        return self.matches(job_id, name)


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool = False


def split_token(text: str) -> tuple[Token | None, str]:
    """The first word (or quoted phrase) of ``text``, and the rest, untouched."""
    text = text.lstrip()
    if not text:
        return None, ""
    if text[0] in _OPEN:
        closer = _CLOSE[text[0]]
        end = _closing(text, closer)
        if end < 0:
            raise RefError('A quote is not closed: put the name between two `"`.')
        return Token(text[1:end], quoted=True), text[end + 1 :]
    parts = text.split(maxsplit=1)
    return Token(parts[0]), parts[1] if len(parts) > 1 else ""


def _closing(text: str, closer: str) -> int:
    end = text.find(closer, 1)
    if end < 0:  # a phone may close “ with " or ”: any closing quote will do
        ends = [i for i in (text.find(c, 1) for c in _CLOSERS) if i > 0]
        end = min(ends) if ends else -1
    return end


def tokens(text: str) -> list[Token]:
    """Every word or quoted phrase of ``text``."""
    found: list[Token] = []
    rest = text
    while True:
        tok, rest = split_token(rest)
        if tok is None:
            return found
        found.append(tok)


def ref_of(token: Token) -> Reference:
    """What a token names, or ``RefError`` saying why it cannot name a job."""
    text = token.text.strip()
    if token.quoted:
        if not text:
            raise RefError('The quotes are empty: put the job\'s name inside, `"My job"`.')
        if len(text) > NAME_MAX:
            raise RefError(f"That name is {len(text)} characters; a name is at most {NAME_MAX}.")
        return Reference(RefKind.NAME, text)
    if _UUID_ID.fullmatch(text):
        return Reference(RefKind.ID, text.lower())
    if _PREFIX.fullmatch(text):
        digits = sum(c not in "-" for c in text[3:])
        if digits >= PREFIX_MIN:
            return Reference(RefKind.PREFIX, text.lower())
        raise RefError(
            f"An id prefix needs at least {PREFIX_MIN} hex digits after `dj-`, "
            "e.g. `dj-1b75f4`; or give the job's name in quotes."
        )
    if text.lower().startswith("dj-"):
        try:
            return Reference(RefKind.ID, validate_job_id(text))
        except InvalidJobId as exc:
            raise RefError(f"That is not a job id: {exc.message}") from None
    if len(text) > NAME_MAX:
        raise RefError(f"That name is {len(text)} characters; a name is at most {NAME_MAX}.")
    return Reference(RefKind.NAME, text)


_ANY_ID = re.compile(
    r"dj-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z-])", re.I
)
IDS_IN_MESSAGE_MAX = 10


def ids_in(*texts: str, limit: int = IDS_IN_MESSAGE_MAX) -> list[str]:
    """The full job ids written anywhere in ``texts``, each once, in order of appearance."""
    found: dict[str, None] = {}
    for text in texts:
        for m in _ANY_ID.finditer(text or ""):
            found.setdefault(m.group(0).lower(), None)
    return list(found)[:limit]


def app_link_job(url: str, app_url: str) -> str | None:
    """The job id in a link to the SeekrFlow web app at ``app_url``, or None (another site,
    or no job id in it)."""
    base = app_url.rstrip("/").lower()
    low = url.lower()
    if not (low == base or low.startswith((base + "/", base + "?", base + "#"))):
        return None
    ids = ids_in(url, limit=1)
    return ids[0] if ids else None


JobName = Reference | str
"""A job as a caller names it: an id (from a button), or what a person typed (a command)."""
