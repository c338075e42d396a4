"""The one wrapper every listener is registered with: who acts, and errors that reach them.

``listener(fn)`` gives ``fn`` what Bolt injects (``ack``, ``body``, ``deps``, ``view``, …: its
own keyword injection, through the signature given here) plus ``actor``: the ``Actor`` built
once from what Slack sent (user, channel, team, enterprise). Two things Bolt does not do, and
why this wrapper does them:

- An error never escapes into Bolt: with ``process_before_response=False`` Bolt resets the ack
  of a listener that raised *after* acking, and the request Slack already got an ack for then
  answers 404. An error before the ack still acks (empty), then tells the person.
- After ``ack()`` the listener yields ``ACK_HANDOFF`` seconds: Bolt sends the ack when it next
  polls (every 10 ms), so the ack leaves before this listener's slow work competes with other
  requests' acks (Slack allows 3 seconds).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot import logs
from bot.errors import error_message
from bot.refs import ids_in
from bot.replies import tell_user
from bot.values import Actor

logger = logging.getLogger(__name__)

Listener = Callable[..., Awaitable[None]]

#: Seconds a listener waits after acking, so the ack leaves before the slow work.
ACK_HANDOFF = 0.02
_OWN = ("ack", "body", "respond", "client")
_MINE = ("actor",)  # given by this wrapper, not by Bolt


def _id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def actor_of(body: dict[str, Any]) -> Actor | None:
    """Who acts, from a command, a click, a view submission, a shortcut or an event."""
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    assert isinstance(event, dict)
    user = body.get("user")
    user_id = _id(user) or _id(body.get("user_id")) or _id(event.get("user"))
    if user_id is None:
        return None
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    assert isinstance(container, dict)
    channel = (
        _id(body.get("channel_id"))
        or _id(body.get("channel"))
        or _id(container.get("channel_id"))
        or _id(event.get("channel"))
    )
    team = (
        _id(body.get("team_id"))
        or _id(body.get("team"))
        or (_id(user.get("team_id")) if isinstance(user, dict) else None)
    )
    enterprise = _id(body.get("enterprise_id")) or _id(body.get("enterprise"))
    return Actor(user_id, channel, team, enterprise)


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


async def handle_error(error: Exception, body: dict[str, Any], respond: Any, client: Any) -> None:
    """The app's one error handler: show ``error`` to the person who caused it."""
    channel_id = None
    if isinstance(error, AnswerIn):
        channel_id, error = error.channel_id, error.error
    msg = error_message(error)
    try:
        if body.get("response_url") and respond is not None:
            await respond(**msg, response_type="ephemeral", replace_original=False)
            return
        actor = actor_of(body)
        if actor is not None:
            await tell_user(client, actor.user_id, channel_id, msg)
            return
        logger.warning("could not show an error to anyone: %s", type(error).__name__)
    except Exception:
        logger.exception("could not show an error to the person (%s)", type(error).__name__)


def listener(fn: Listener) -> Listener:
    """Register ``fn`` through this, so it gets its ``actor`` and any error reaches the person."""
    named = [
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    injected = list(dict.fromkeys([*(n for n in named if n not in _MINE), *_OWN]))

    async def run(**kwargs: Any) -> None:
        ack = kwargs["ack"]

        async def ack_then_yield(*args: Any, **kw: Any) -> Any:
            result = await ack(*args, **kw)
            await asyncio.sleep(ACK_HANDOFF)
            return result

        body = kwargs["body"]
        given = {k: kwargs[k] for k in named if k not in _MINE}
        if "ack" in given:
            given["ack"] = ack_then_yield
        if "actor" in named:
            given["actor"] = actor_of(body)
        with logs.bound(job_id=_job_in(body)):
            try:
                await fn(**given)
            except Exception as exc:  # noqa: BLE001 - every error reaches the person
                if ack.response is None:
                    await ack()
                await handle_error(exc, body, kwargs["respond"], kwargs["client"])

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
