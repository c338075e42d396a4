"""The job card's Subscribe / Unsubscribe button and the ``subscriptions`` list's Unsubscribe."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import ops
from bot.commands import subscribe_ops as subs
from bot.commands.subscribe_parse import DM, Subscribe
from bot.deps import Deps
from bot.errors import NotAllowed
from bot.payloads import JobRef, SubRef, decode
from bot.store import dm_dest

from .common import action_value, clicker, replace_source


async def _card_with_note(deps: Deps, user: str, job_id: str, answer: dict[str, Any]):
    seekr = await deps.access.reader(user)
    note = answer.get("text", "")
    return await ops.card_for(seekr, job_id, notes=[note],
                              subscribed=await subs.is_subscribed(deps, user, job_id))


async def on_job_subscribe(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                           client: AsyncWebClient, deps: Deps, **_: Any) -> None:
    """Subscribe the clicker's DM to the job, and show the card with the button flipped."""
    await ack()
    ref = decode(JobRef, action_value(body))
    user = clicker(body)
    answer = await subs.subscribe(deps, Subscribe(ref.job_id, DM), user, None)
    await replace_source(body, respond, client,
                         await _card_with_note(deps, user, ref.job_id, answer))


async def on_job_unsubscribe(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                             client: AsyncWebClient, deps: Deps, **_: Any) -> None:
    await ack()
    ref = decode(JobRef, action_value(body))
    user = clicker(body)
    removed = await subs.remove(deps, user, subs.Place(dm_dest(user), None), ref.job_id, None)
    answer = subs.R.unsubscribed(dm_dest(user), ref.job_id, removed=removed)
    await replace_source(body, respond, client,
                         await _card_with_note(deps, user, ref.job_id, answer))


async def on_list_unsubscribe(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                              client: AsyncWebClient, deps: Deps, **_: Any) -> None:
    """Remove one row of the list, then show the list again, updated in place."""
    await ack()
    ref = decode(SubRef, action_value(body))
    user = clicker(body)
    kind, _, ident = ref.dest.partition(":")
    if kind == "u" and ident != user:
        raise NotAllowed("That is someone else's subscription; only they can remove it.")
    place = subs.Place(ref.dest, ident if kind == "c" else None)
    removed = await subs.remove(deps, user, place, ref.job_id, ref.key_ref)
    answer = subs.R.unsubscribed(ref.dest, ref.job_id, removed=removed)
    await replace_source(body, respond, client,
                         await subs.listing(deps, place, note=answer.get("text")))
