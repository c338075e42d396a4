"""Typed data carried through Slack: button values, select state, modal metadata.

Everything here comes back from Slack as untrusted text. ``decode`` parses and
validates it in one place and raises ``BadPayload`` (shown to the person as
"that button is out of date") instead of letting a forged value reach SeekrFlow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
)

from bot.seekrflow.errors import InvalidJobId
from bot.seekrflow.job_ids import validate_job_id
from bot.seekrflow.models import JobStatus, JobType, SortBy, SortOrder
from bot.values import Dest, KeyRef

LIST_MAX = 100
LIST_DEFAULT = 10
NAME_FILTER_MAX = 40  # the state rides in a block_id (255 characters)
_STATUS_ORDER = tuple(JobStatus)


class BadPayload(Exception):
    """A button value or modal metadata that does not parse or validate."""


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _job_id(v: str) -> str:
    try:
        return validate_job_id(v)
    except InvalidJobId as exc:
        raise ValueError(exc.message) from None


JobId = Annotated[str, AfterValidator(_job_id)]


def _parsed(kind: type[Dest] | type[KeyRef]):
    def parse(v: object) -> object:
        if isinstance(v, kind):
            return v
        if not isinstance(v, str) or len(v) > 60:
            raise ValueError(f"not a {kind.__name__}")
        return kind.parse(v)

    return parse


DestField = Annotated[Dest, PlainValidator(_parsed(Dest)), PlainSerializer(str, return_type=str)]
KeyRefField = Annotated[
    KeyRef, PlainValidator(_parsed(KeyRef)), PlainSerializer(str, return_type=str)
]


class JobRef(_Payload):
    """A job a button acts on; ``name`` only pre-fills the rename modal (never trusted)."""

    job_id: JobId = Field(alias="j")
    name: str | None = Field(default=None, max_length=255, alias="n")


class RowAction(_Payload):
    """One choice on a list row (overflow option, picker option or button)."""

    op: Literal["inspect", "cancel"] = Field(alias="a")
    job_id: JobId = Field(alias="j")


def status_mask(statuses: Iterable[str]) -> int:
    """Statuses as bits (in ``JobStatus`` order), so a filter stays short inside a block_id."""
    return sum(1 << _STATUS_ORDER.index(JobStatus(s)) for s in set(statuses))


class ListState(_Payload):
    """What a list message shows: filters, sort and page.

    ``job_type``, sort and order go to SeekrFlow; ``statuses`` (a bit mask, see
    ``status_mask``) and ``name`` (a part of the name, any case) are applied by the bot
    to the pages it reads (``bot.services.jobs.fetch_page``).
    """

    job_type: JobType | None = Field(default=None, alias="t")
    sort_by: SortBy = Field(default=SortBy.CREATED_AT, alias="s")
    sort_order: SortOrder = Field(default=SortOrder.DESC, alias="o")
    limit: int = Field(default=LIST_DEFAULT, ge=1, le=LIST_MAX, alias="l")
    offset: int = Field(default=0, ge=0, le=1_000_000, alias="p")
    status_bits: int = Field(default=0, ge=0, lt=1 << len(_STATUS_ORDER), alias="f")
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=NAME_FILTER_MAX,
        pattern=r"^[^\x00-\x1f\x7f]+$",  # no control characters (they grow in JSON)
        alias="q",
    )

    def with_(self, **changes: object) -> ListState:
        return self.model_copy(update=changes)

    @property
    def statuses(self) -> tuple[JobStatus, ...]:
        return tuple(s for i, s in enumerate(_STATUS_ORDER) if self.status_bits >> i & 1)

    @property
    def filtered(self) -> bool:
        """Whether the bot (not SeekrFlow) filters: then pages are read and matched here."""
        return bool(self.status_bits or self.name)

    def admits(self, status: str, name: str) -> bool:
        if self.status_bits and status not in self.statuses:
            return False
        return self.name is None or self.name.casefold() in name.casefold()


class RenameMeta(_Payload):
    """The rename modal's private_metadata: which job, and where to answer."""

    job_id: JobId = Field(alias="j")
    old_name: str = Field(default="", max_length=255, alias="n")
    channel_id: str | None = Field(default=None, max_length=40, alias="c")
    # the card the Rename button was on (not ephemeral), updated in place after the rename
    message_ts: str | None = Field(default=None, pattern=r"^\d{1,12}\.\d{1,8}$", alias="m")


class LoginMeta(BaseModel):
    """The login modal's private_metadata: where the person ran the command."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    channel_id: str | None = Field(default=None, max_length=40, pattern=r"^[A-Z0-9]+$", alias="c")

    def encode(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True)

    @classmethod
    def decode(cls, raw: object) -> LoginMeta:
        try:
            return cls.model_validate_json(raw) if isinstance(raw, str) and raw else cls()
        except ValidationError:
            return cls()  # only used to say where to answer: a damaged value is not fatal


class SubRef(_Payload):
    """One subscription in the ``subscriptions`` list: its target and job (None = all jobs)."""

    dest: DestField = Field(alias="d")
    job_id: JobId | None = Field(default=None, alias="j")
    key_ref: KeyRefField | None = Field(default=None, alias="k")


QuietOp = Literal["hour", "morning", "mute", "unquiet", "why", "unsubscribe"]


class QuietRef(_Payload):
    """A choice on a notification's or a subscription row's menu: snooze this for an hour or
    until tomorrow morning, mute it, undo that, ask why, unsubscribe. ``dest`` None: the place
    the message is in; ``job_id`` None: the target's every-job subscriptions."""

    op: QuietOp = Field(alias="a")
    job_id: JobId | None = Field(default=None, alias="j")
    dest: DestField | None = Field(default=None, alias="d")
    key_ref: KeyRefField | None = Field(default=None, alias="k")


class SubsPage(_Payload):
    """A page of the ``subscriptions`` list."""

    dest: DestField = Field(alias="d")
    page: int = Field(default=0, ge=0, le=10_000, alias="p")


P = TypeVar("P", bound=_Payload)


def encode(payload: _Payload) -> str:
    """Compact JSON with short keys (values must fit Slack's length limits)."""
    return payload.model_dump_json(by_alias=True, exclude_defaults=True)


def decode(cls: type[P], raw: object) -> P:
    if not isinstance(raw, str) or not raw or len(raw) > 3000:
        raise BadPayload(f"missing or oversized {cls.__name__}")
    try:
        return cls.model_validate_json(raw)
    except ValidationError as exc:
        raise BadPayload(f"invalid {cls.__name__}: {exc.error_count()} error(s)") from None
