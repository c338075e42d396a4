"""``/datajobs subscribe``, ``unsubscribe`` and ``subscriptions``."""

from __future__ import annotations

from . import subscribe_ops as ops
from .base import Invocation, Subcommand
from .subscribe_parse import (
    ListSubscriptions,
    Subscribe,
    Target,
    Unsubscribe,
    parse_subscribe,
    parse_subscriptions,
    parse_unsubscribe,
)


async def run_subscribe(cmd: Subscribe, inv: Invocation) -> None:
    await inv.reply(await ops.subscribe(inv.deps, cmd, inv.user_id, inv.channel_id))


async def run_unsubscribe(cmd: Unsubscribe, inv: Invocation) -> None:
    await inv.reply(await ops.unsubscribe(inv.deps, cmd, inv.user_id, inv.channel_id))


async def run_subscriptions(cmd: ListSubscriptions, inv: Invocation) -> None:
    if cmd.target is None:   # in a channel: the channel's; in a DM with the bot: mine
        place = ops.place_for(Target("here"), inv.user_id, inv.channel_id)
    else:
        place = ops.place_for(cmd.target, inv.user_id, inv.channel_id)
    await inv.reply(await ops.listing(inv.deps, place))


SUBSCRIBE = Subcommand(
    name="subscribe",
    usage="subscribe <id>|all [#channel|here] [events:failed,needs_review]",
    summary="tells you (or a channel) when a job completes, fails, stops or needs review.",
    examples=("subscribe dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",
              "subscribe all #ml-alerts events:failed,needs_review"),
    parse=parse_subscribe,
    run=run_subscribe,
    ack="Subscribing…",
    aliases=("sub", "watch"),
)

UNSUBSCRIBE = Subcommand(
    name="unsubscribe",
    usage="unsubscribe <id>|all [#channel|here]",
    summary="stops notifications (without a place: only your own DM ones).",
    examples=("unsubscribe dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d", "unsubscribe all here"),
    parse=parse_unsubscribe,
    run=run_unsubscribe,
    ack="Unsubscribing…",
    aliases=("unsub", "unwatch"),
)

SUBSCRIPTIONS = Subcommand(
    name="subscriptions",
    usage="subscriptions [#channel|here|mine]",
    summary="what you (or, in a channel, this channel) are subscribed to.",
    examples=("subscriptions", "subscriptions mine"),
    parse=parse_subscriptions,
    run=run_subscriptions,
    ack=None,
    aliases=("subs",),
)
