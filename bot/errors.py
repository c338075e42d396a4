"""The errors a person can meet, translated once, and the one handler that shows them.

Every failure reaches the person as a specific sentence; an unexpected one
shows a short reference that is also in the log. Never a stack trace, never
silence, never a token or key.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import logs
from bot.payloads import BadPayload
from bot.refs import ids_in
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


class AnswerIn(Exception):
    """An error to show in ``channel_id`` (where the person acted), not where Slack sent from."""

    def __init__(self, error: Exception, channel_id: str | None):
        super().__init__(str(error))
        self.error = error
        self.channel_id = channel_id


@asynccontextmanager
async def answering_in(channel_id: str | None) -> AsyncIterator[None]:
    """Errors inside are shown to the person in ``channel_id`` (e.g. a modal's origin)."""
    try:
        yield
    except AnswerIn:
        raise
    except Exception as exc:
        raise AnswerIn(exc, channel_id) from exc


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


async def tell_user(client: Any, user_id: str, channel_id: str | None, msg: dict[str, Any]) -> None:
    """Ephemeral where the person was; a DM when that fails or there is no channel."""
    if channel_id:
        try:
            await client.chat_postEphemeral(channel=channel_id, user=user_id, **msg)
            return
        except Exception as exc:  # noqa: BLE001 - fall back to a DM, whatever the reason
            logger.info("ephemeral to %s failed (%s); sending a DM", channel_id, type(exc).__name__)
    dm = await client.conversations_open(users=user_id)
    await client.chat_postMessage(channel=dm["channel"]["id"], **msg)


async def handle_error(error: Exception, body: dict[str, Any], respond: Any, client: Any) -> None:
    """The app's one error handler: show ``error`` to the person who caused it."""
    channel_id = None
    if isinstance(error, AnswerIn):
        error, channel_id = error.error, error.channel_id
    msg = error_message(error)
    try:
        if body.get("response_url") and respond is not None:
            await respond(**msg, response_type="ephemeral", replace_original=False)
            return
        user_id = (body.get("user") or {}).get("id") or body.get("user_id")
        if user_id:
            await tell_user(client, user_id, channel_id, msg)
            return
        logger.warning("could not show an error to anyone: %s", type(error).__name__)
    except Exception:
        logger.exception("could not show an error to the person (%s)", type(error).__name__)


Listener = Callable[..., Awaitable[None]]

#: Seconds a listener waits after acking, so the ack leaves before the slow work.
ACK_HANDOFF = 0.02
_OWN = ("ack", "body", "respond", "client")


def listener(fn: Listener) -> Listener:
    """The one wrapper every listener is registered with, so any error reaches the person.

    Bolt injects the arguments ``fn`` names (``ack``, ``body``, ``deps``, ``view``, …: its
    own keyword injection, through the signature given here), plus the four this wrapper
    needs to answer. Two things Bolt does not do, and why:

    - An error never escapes into Bolt: with ``process_before_response=False`` Bolt
      resets the ack of a listener that raised *after* acking, and the request Slack
      already got an ack for then answers 404. An error before the ack still acks
      (empty), then tells the person.
    - After ``ack()`` the listener yields ``ACK_HANDOFF`` seconds: Bolt sends the ack
      when it next polls (every 10 ms), so it leaves before this listener's slow work
      competes with other requests' acks.
    """
    named = [
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    injected = list(dict.fromkeys([*named, *_OWN]))

    async def run(**kwargs: Any) -> None:
        ack = kwargs["ack"]

        async def ack_then_yield(*args: Any, **kw: Any) -> Any:
            result = await ack(*args, **kw)
            await asyncio.sleep(ACK_HANDOFF)
            return result

        given = {k: kwargs[k] for k in named}
        if "ack" in given:
            given["ack"] = ack_then_yield
        with logs.bound(job_id=_job_in(kwargs["body"])):
            try:
                await fn(**given)
            except Exception as exc:  # noqa: BLE001 - every error reaches the person
                if ack.response is None:
                    await ack()
                await handle_error(exc, kwargs["body"], kwargs["respond"], kwargs["client"])

    # what Bolt reads to know which arguments to inject (it looks only at named ones)
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    run.__signature__ = inspect.Signature([inspect.Parameter(n, kind) for n in injected])  # type: ignore[attr-defined]
    run.__name__ = run.__qualname__ = fn.__name__
    return run


def _job_in(body: dict[str, Any]) -> str | None:
    """The job a click or command names, for the log lines it leads to (ids only)."""
    action = (body.get("actions") or [{}])[0] if isinstance(body.get("actions"), list) else {}
    text = " ".join(
        str(v)
        for v in (
            (action.get("selected_option") or {}).get("value"),
            action.get("value"),
            body.get("text"),
        )
        if v
    )
    found = ids_in(text[:2000], limit=1)
    return found[0] if found else None


def register(app: Any) -> None:
    app.error(handle_error)
