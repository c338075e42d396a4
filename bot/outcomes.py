"""What a service decided, as typed values: the one thing a listener hands to the renderer.

Services return these (never a finished Slack message); ``bot.render.answers`` turns each
into what the person sees, and ``sentence`` into the one line that goes on top of a card, a
list or Home. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.payloads import ListState
from bot.seekrflow.models import DataJob, DataJobDetail
from bot.values import (
    DailySummary,
    Dest,
    HistoryEntry,
    Identity,
    JobSnapshot,
    KeyRef,
    Quiet,
    Subscription,
)


@dataclass(frozen=True)
class JobCard:
    """A job's card as one viewer sees it, wherever it is shown: the same buttons (their
    subscription, the claim) from ``inspect``, a click, Home, a list row or a shortcut."""

    job: DataJobDetail
    at: datetime
    subscribed: bool | None = None  # the viewer's DM; None: no Subscribe button
    claimed_by: str | None = None  # who is on it (shown while the job needs review)
    notes: tuple[str, ...] = ()  # already-safe mrkdwn lines: what just happened


@dataclass(frozen=True)
class Page:
    """The jobs to show; whether more follow; for a filtered list, how far it read."""

    jobs: list[DataJob]
    has_more: bool
    looked: int | None = None  # jobs read to find these (filtered lists only)
    bounded: bool = False  # reading stopped at the bound with jobs left unread


@dataclass(frozen=True)
class JobsPage:
    page: Page
    state: ListState


@dataclass(frozen=True)
class Renamed:
    old: str
    job: DataJobDetail
    by: str
    at: datetime


@dataclass(frozen=True)
class CancelAsked:
    """A list row's Cancel: the job still cancellable, so the person confirms first."""

    job: DataJobDetail


@dataclass(frozen=True)
class CardsFound:
    """The cards of the jobs a message names (the shortcut); ``missing`` could not be read."""

    cards: list[JobCard]
    missing: int


@dataclass(frozen=True)
class Subscribed:
    dest: Dest
    job_id: str | None  # None: every job
    name: str
    events: tuple[str, ...]
    created: bool
    previous: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlreadyFinished:
    job_id: str
    name: str
    status: str


@dataclass(frozen=True)
class Unsubscribed:
    dest: Dest
    job_id: str | None
    removed: bool


@dataclass(frozen=True)
class ChannelProblem:
    """The bot could not post in the channel asked for; ``text`` says why (safe mrkdwn)."""

    text: str


@dataclass(frozen=True)
class SubscriptionsPage:
    dest: Dest
    subs: list[Subscription]
    broken: str | None
    quiets: dict[str, Quiet]
    paused: frozenset[KeyRef]
    page: int = 0
    own: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Quieted:
    quiet: Quiet
    tz: str
    name: str = ""


@dataclass(frozen=True)
class Unquieted:
    dest: Dest
    scope: str
    was: bool
    released: int
    name: str = ""


@dataclass(frozen=True)
class SummarySet:
    summary: DailySummary
    next_ms: int


@dataclass(frozen=True)
class SummaryShown:
    rows: list[tuple[Dest, DailySummary | None, int | None]]


@dataclass(frozen=True)
class SummaryOff:
    dest: Dest
    removed: bool


@dataclass
class Place:
    """One place the person can see: its subscription (if any) and its state."""

    dest: Dest
    sub: Subscription | None = None
    quiet: Quiet | None = None
    paused: bool = False
    broken: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # message ts -> permalink


@dataclass(frozen=True)
class Explained:
    """``why``: each place's subscription and what the bot did with each change."""

    job_id: str
    name: str
    status: str
    places: list[Place]
    history: list[HistoryEntry]
    finished: bool


@dataclass(frozen=True)
class ClaimShown:
    """A claim made or given up: the notification clicked, as it now reads."""

    snapshot: JobSnapshot
    thread_root: bool
    claimed_by: str | None


@dataclass(frozen=True)
class LoginRefused:
    """``login`` could not open its form: ``why`` is ``typed_text`` or ``no_encryption``."""

    why: str


@dataclass(frozen=True)
class LoggedOut:
    had_key: bool
    team_key: bool


@dataclass(frozen=True)
class WhoAmI:
    identity: Identity
    linked_at: float | None
    can_store_keys: bool
    key_dead: bool
    operators_configured: bool
    key_unreadable: bool


@dataclass(frozen=True)
class LinkedKey:
    """A key checked by SeekrFlow and kept: the account it works for."""

    account: str | None
    team_id: str | None


@dataclass(frozen=True)
class HomeJobs:
    """What Home shows of the jobs: those that need the person, those under way."""

    needs: list[DataJob]
    active: list[DataJob]
    looked: int
    at: datetime


@dataclass(frozen=True)
class HomeShown:
    identity: Identity
    jobs: HomeJobs | None
    subs: list[Subscription]
    note: str | None = None
    problem: str | None = None


Outcome = (
    JobCard
    | JobsPage
    | Renamed
    | CancelAsked
    | Subscribed
    | AlreadyFinished
    | Unsubscribed
    | ChannelProblem
    | SubscriptionsPage
    | Quieted
    | Unquieted
    | SummarySet
    | SummaryShown
    | SummaryOff
    | Explained
    | ClaimShown
    | LoginRefused
    | LoggedOut
    | WhoAmI
)
