"""The list message's selects and Previous / Next / Refresh: re-render it in place."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.ids import Action, Block
from bot.payloads import BadPayload, ListState, decode
from bot.render.answers import answer
from bot.render.jobs_list import ANY_TYPE
from bot.replies import replace_source
from bot.values import Actor, JobType, SortBy, SortOrder

from .common import action_block_id, action_value


def _state_from_controls(body: dict[str, Any]) -> ListState:
    prefix, _, raw = action_block_id(body).partition("|")
    if prefix != Block.LIST_CONTROLS:
        raise BadPayload("list controls without state")
    return decode(ListState, raw)


def next_state(action_id: str, body: dict[str, Any]) -> ListState:
    """The list to show after this click (all of it validated)."""
    value = action_value(body) or ""
    if action_id in (Action.LIST_PREV, Action.LIST_NEXT, Action.LIST_REFRESH):
        return decode(ListState, value)
    state = _state_from_controls(body)
    try:
        if action_id == Action.LIST_TYPE:
            return state.with_(job_type=None if value == ANY_TYPE else JobType(value), offset=0)
        if action_id == Action.LIST_SORT:
            return state.with_(sort_by=SortBy(value), offset=0)
        return state.with_(sort_order=SortOrder(value), offset=0)
    except ValueError:
        raise BadPayload(f"unknown choice for {action_id}") from None


async def on_list_action(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    await ack()
    state = next_state(body["actions"][0]["action_id"], body)
    await replace_source(body, respond, client, answer(await deps.jobs.list_page(actor, state)))
