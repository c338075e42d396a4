"""The login modal's submission: check the key with SeekrFlow, keep it, say for whom.

Slack wants an answer to a view submission within 3 seconds, and field errors
can only be shown in that answer. So the check runs for up to ``ACK_BUDGET``
seconds before the ack: a quick answer becomes a field error or the "linked"
view right away; a slow one gets a "checking…" view at once and the outcome
through ``views.update`` when SeekrFlow answers.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot import logs
from bot.deps import Deps
from bot.ids import Action, Block
from bot.payloads import LoginMeta
from bot.render.identity import checking_modal, linked_modal, linked_text, login_modal
from bot.render.text import message
from bot.replies import tell_user
from bot.services.linking import LinkRefused
from bot.values import Actor

logger = logging.getLogger(__name__)

ACK_BUDGET = 1.5  # seconds of the 3 s Slack allows, spent checking the key before acking


def _value(view: dict[str, Any], block: str, action: str) -> str | None:
    state = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    return (state.get(action) or {}).get("value")


def _field_error(exc: LinkRefused) -> dict[str, Any]:
    block = Block.LOGIN_TEAM if exc.field == "team" else Block.LOGIN_KEY
    return {"response_action": "errors", "errors": {block: exc.message[:150]}}


async def on_login_submit(
    ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any, deps: Deps, actor: Actor
) -> None:
    raw_key = _value(view, Block.LOGIN_KEY, Action.LOGIN_KEY_INPUT)
    raw_team = _value(view, Block.LOGIN_TEAM, Action.LOGIN_TEAM_INPUT)
    task = asyncio.ensure_future(deps.linking.link(actor, raw_key=raw_key, raw_team=raw_team))
    del raw_key  # the only copy left is inside the task, as a SecretStr
    done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET)
    if done:
        await ack(**_answer(task))
        return
    await ack(response_action="update", view=checking_modal())
    await asyncio.wait({task})
    meta = view.get("private_metadata") or ""
    exc = task.exception()
    if exc is None:
        linked = task.result()
        text = linked_text(linked.account, linked.team_id)
        new_view = linked_modal(linked.account, linked.team_id)
    else:
        text = _refusal(exc).message[:150]
        new_view = login_modal(private_metadata=meta, error=text)
    try:
        await client.views_update(view_id=view["id"], view=new_view)
    except Exception as exc:  # noqa: BLE001 - the modal was closed meanwhile: say it elsewhere
        logger.info(
            "login outcome not shown in the modal (%s); telling the person", type(exc).__name__
        )
        await tell_user(client, actor.user_id, LoginMeta.decode(meta).channel_id, message(text))


def _refusal(exc: BaseException) -> LinkRefused:
    if isinstance(exc, LinkRefused):
        return exc
    ref = _log_unexpected(exc)
    return LinkRefused(
        f"Something went wrong on my side (reference {ref}). Nothing was stored; try again."
    )


def _answer(task: asyncio.Future[Any]) -> dict[str, Any]:
    """The view_submission answer for a finished link attempt."""
    exc = task.exception()
    if exc is None:
        linked = task.result()
        return {"response_action": "update", "view": linked_modal(linked.account, linked.team_id)}
    return _field_error(_refusal(exc))


def _log_unexpected(exc: BaseException) -> str:
    ref = logs.reference()
    # Only the type: an unexpected exception's text could in theory quote its input.
    logger.error("login failed unexpectedly ref=%s: %s", ref, type(exc).__name__)
    return ref
