"""The catalogue of errors a person can meet, each translated once into a sentence.

Every failure reaches the person as a specific sentence; an unexpected one
shows a short reference that is also in the log. Never a stack trace, never
a token or key. Where the sentence goes is ``bot.replies``; the one wrapper
that catches errors is ``bot.listening``.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import logs
from bot.payloads import BadPayload
from bot.render.finding import ambiguous_message, no_such_job_text
from bot.render.notices import notice
from bot.render.text import clip, esc
from bot.seekrflow.errors import (
    InputsLocked,
    InvalidJobId,
    JobNotFound,
    KeyRejected,
    NotCancellable,
    RateLimited,
    SeekrFlowError,
    ServerError,
    Unavailable,
    UnexpectedResponse,
    ValidationFailed,
)
from bot.services.access import NotAllowed
from bot.services.finding import Ambiguous, NoSuchJob

logger = logging.getLogger(__name__)


def _sentence(exc: SeekrFlowError) -> str:
    return clip(exc.message, 600)


def user_message(exc: BaseException) -> str:
    """The mrkdwn sentence for ``exc``; unexpected errors are logged with a reference."""
    if isinstance(exc, NotAllowed):
        return f":lock: {clip(exc.message, 600)}"
    if isinstance(exc, BadPayload):
        return (
            ":warning: That button or form is out of date or damaged. "
            "Run `/datajobs` again to get a fresh one."
        )
    if isinstance(exc, InvalidJobId):
        return f":warning: That is not a job id: {_sentence(exc)}"
    if isinstance(exc, NoSuchJob):
        return no_such_job_text(exc.ref, exc.looked, exc.complete)
    if isinstance(exc, Ambiguous):
        return ambiguous_message(exc.ref, exc.matches, exc.complete)["text"]
    if isinstance(exc, JobNotFound):
        return f":mag: {_sentence(exc)}"
    if isinstance(exc, KeyRejected):
        if exc.detail == "personal":  # the person's own linked key: theirs to fix
            return f":closed_lock_with_key: {_sentence(exc)}"
        return (
            f":closed_lock_with_key: {_sentence(exc)} "
            "Ask whoever set up the bot to check the SeekrFlow API key."
        )
    if isinstance(exc, InputsLocked):
        return (
            ":lock: This job can no longer be renamed: alignment has started, "
            "so SeekrFlow has locked its inputs."
        )
    if isinstance(exc, NotCancellable):
        return f":information_source: {_sentence(exc)}"
    if isinstance(exc, ValidationFailed):
        return f":warning: {_sentence(exc)}"
    if isinstance(exc, RateLimited):
        return f":hourglass: {_sentence(exc)}"
    if isinstance(exc, Unavailable):
        return (
            f":electric_plug: SeekrFlow did not answer: {_sentence(exc)} "
            "Nothing was changed that I know of; try again in a minute."
        )
    if isinstance(exc, ServerError):
        return f":boom: {_sentence(exc)}"
    ref = logs.reference()
    if isinstance(exc, SlackApiError):
        error = str((exc.response or {}).get("error") or "unknown")[:60]
        if error in EXPIRED_TRIGGER:
            return (":hourglass: That click came too late for Slack to open the form "
                    "(it allows 3 seconds). Click the button again.")  # fmt: skip
        logger.error("Slack refused a call ref=%s: %s", ref, error)
        return (f":warning: Slack refused that (`{esc(error)}`, reference `{ref}`). "
                "Try again, or tell whoever runs the bot.")  # fmt: skip
    if isinstance(exc, UnexpectedResponse):
        logger.warning("unexpected SeekrFlow response ref=%s: %s", ref, exc.message)
        return (
            f":warning: SeekrFlow answered in a way I don't understand (reference `{ref}`). "
            "Try again, or tell whoever runs the bot."
        )
    # One line, never a traceback: the innermost frame says where, the reference finds it.
    logger.error("unexpected error ref=%s: %s at %s", ref, type(exc).__name__, _where(exc))
    return (
        f":warning: Something went wrong on my side (reference `{ref}`). "
        "Try again, or tell whoever runs the bot with that reference."
    )


EXPIRED_TRIGGER = frozenset({"expired_trigger_id", "invalid_trigger_id", "trigger_exchanged"})


def error_message(exc: BaseException) -> dict[str, Any]:
    """The whole message for ``exc``: a sentence, or (several jobs matched) a list to pick from."""
    if isinstance(exc, Ambiguous):
        return ambiguous_message(exc.ref, exc.matches, exc.complete)
    return notice(user_message(exc))


def _where(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{tb.tb_frame.f_code.co_filename.rsplit('/', 2)[-1]}:{tb.tb_lineno}"
