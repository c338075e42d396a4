"""One renderer per outcome: what a service decided (``bot.outcomes``) as the person sees it.

``answer(outcome)`` is the whole message; ``sentence(outcome)`` the one line said on top of a
card, a list or Home after a click. Pure.
"""

from __future__ import annotations

from functools import singledispatch
from typing import Any

from bot import outcomes as O

from . import limits as L
from .home import home_view
from .identity import KEY_IN_TEXT, NOT_STORED_NO_ENCRYPTION, logout_message, whoami_message
from .job_card import job_card
from .jobs_list import list_message
from .lifecycle import claimed_note
from .notices import cancel_prompt, notice, renamed_text
from .notification import render_notification
from .quiet import (
    quieted_text,
    summary_off_text,
    summary_set_text,
    summary_shown_text,
    unquieted_text,
)
from .subscriptions import (
    already_finished_text,
    subscribed_all_text,
    subscribed_text,
    subscriptions_list,
    unsubscribed_text,
)
from .text import clip, esc, message
from .unfurl import missing_text
from .why import render_why


def card(c: O.JobCard) -> dict[str, Any]:
    """The job card: its notes, then who is on it while it needs review; the viewer's
    Subscribe or Unsubscribe."""
    notes = list(c.notes)
    if c.claimed_by and c.job.status == "needs_review":
        notes.append(claimed_note(c.claimed_by))
    return job_card(c.job, now=c.at, notes=notes, subscribed=c.subscribed)


@singledispatch
def sentence(outcome: object) -> str:
    """The one line that says what happened."""
    raise TypeError(f"no sentence for {type(outcome).__name__}")


@sentence.register
def _(o: O.Subscribed) -> str:
    if o.job_id is None:
        return subscribed_all_text(o.dest, o.events, created=o.created, previous=o.previous)
    return subscribed_text(
        o.dest, o.job_id, o.name, o.events, created=o.created, previous=o.previous
    )


@sentence.register
def _(o: O.AlreadyFinished) -> str:
    return already_finished_text(o.job_id, o.name, o.status)


@sentence.register
def _(o: O.Unsubscribed) -> str:
    return unsubscribed_text(o.dest, o.job_id, removed=o.removed)


@sentence.register
def _(o: O.ChannelProblem) -> str:
    return o.text


@sentence.register
def _(o: O.Quieted) -> str:
    return quieted_text(o.quiet, o.tz, name=o.name)


@sentence.register
def _(o: O.Unquieted) -> str:
    return unquieted_text(o.dest, o.scope, was=o.was, released=o.released, name=o.name)


@sentence.register
def _(o: O.SummarySet) -> str:
    return summary_set_text(o.summary, o.next_ms)


@sentence.register
def _(o: O.SummaryShown) -> str:
    return summary_shown_text(o.rows)


@sentence.register
def _(o: O.SummaryOff) -> str:
    return summary_off_text(o.dest, removed=o.removed)


@sentence.register
def _(o: O.Renamed) -> str:
    return renamed_text(o.old, o.job.name, o.job.id)


@sentence.register
def _(o: O.JobCard) -> str:
    return f"{esc(o.job.status)}: {clip(o.job.name, 300)} ({clip(o.job.id, 200)})"


@sentence.register
def _(o: O.LoginRefused) -> str:
    return KEY_IN_TEXT if o.why == "typed_text" else NOT_STORED_NO_ENCRYPTION


@singledispatch
def answer(outcome: object) -> dict[str, Any]:
    """The message for ``outcome``: by default its sentence, as one section."""
    text = sentence(outcome)
    return message(text, [L.section(text)])


@answer.register
def _(o: O.JobCard) -> dict[str, Any]:
    return card(o)


@answer.register
def _(o: O.JobsPage) -> dict[str, Any]:
    p = o.page
    return list_message(p.jobs, o.state, has_more=p.has_more, looked=p.looked, bounded=p.bounded)


@answer.register
def _(o: O.Renamed) -> dict[str, Any]:
    return notice(sentence(o))


@answer.register
def _(o: O.CancelAsked) -> dict[str, Any]:
    return cancel_prompt(o.job)


@answer.register
def _(o: O.SubscriptionsPage) -> dict[str, Any]:
    return subscriptions_list(
        o.dest,
        o.subs,
        broken=o.broken,
        note=o.note,
        quiets=o.quiets,
        paused=o.paused,
        page=o.page,
        own=o.own,
    )


@answer.register
def _(o: O.Explained) -> dict[str, Any]:
    return render_why(o.job_id, o.name, o.status, o.places, o.history, finished=o.finished)


@answer.register
def _(o: O.ClaimShown) -> dict[str, Any]:
    return render_notification(o.snapshot, thread_root=o.thread_root, claimed_by=o.claimed_by)


@answer.register
def _(o: O.LoginRefused) -> dict[str, Any]:
    return message(sentence(o))


@answer.register
def _(o: O.LoggedOut) -> dict[str, Any]:
    return logout_message(o.had_key, team_key=o.team_key)


@answer.register
def _(o: O.WhoAmI) -> dict[str, Any]:
    return whoami_message(
        o.identity,
        linked_at=o.linked_at,
        can_store_keys=o.can_store_keys,
        key_dead=o.key_dead,
        operators_configured=o.operators_configured,
        key_unreadable=o.key_unreadable,
    )


@answer.register
def _(o: O.HomeShown) -> dict[str, Any]:
    return home_view(o.identity, o.jobs, o.subs, note=o.note, problem=o.problem)


def missing(count: int) -> dict[str, Any]:
    """The shortcut's line for jobs a message names that could not be read."""
    return notice(missing_text(count))
