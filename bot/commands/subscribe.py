"""``/datajobs subscribe``, ``unsubscribe`` and ``subscriptions``."""

from __future__ import annotations

from bot.values import Dest

from .base import Invocation, Subcommand
from .subscribe_parse import (
    HERE,
    ListSubscriptions,
    Subscribe,
    Target,
    Unsubscribe,
    parse_subscribe,
    parse_subscriptions,
    parse_unsubscribe,
)


def _dest(target: Target, inv: Invocation) -> Dest:
    return inv.actor.place(target.kind, target.channel_id)


async def run_subscribe(cmd: Subscribe, inv: Invocation) -> None:
    dest = _dest(cmd.target, inv)
    await inv.reply(await inv.deps.subscribing.subscribe(inv.actor, dest, cmd.job, cmd.events))


async def run_unsubscribe(cmd: Unsubscribe, inv: Invocation) -> None:
    dest = _dest(cmd.target, inv)
    await inv.reply(await inv.deps.subscribing.unsubscribe(inv.actor, dest, cmd.job))


async def run_subscriptions(cmd: ListSubscriptions, inv: Invocation) -> None:
    # no place given: in a channel the channel's; in a DM with the bot, mine
    dest = _dest(cmd.target or HERE, inv)
    await inv.reply(await inv.deps.subscribing.listing(inv.actor, dest))


SUBSCRIBE = Subcommand(
    name="subscribe",
    usage="subscribe <job>|all [#channel|here] [events:failed,needs_review]",
    summary="tells you (or a channel) when a job completes, fails, stops or needs review.",
    examples=(
        "subscribe dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d",
        "subscribe all #ml-alerts events:failed,needs_review",
    ),
    parse=parse_subscribe,
    run=run_subscribe,
    ack="Subscribing…",
    aliases=("sub", "watch"),
)

UNSUBSCRIBE = Subcommand(
    name="unsubscribe",
    usage="unsubscribe <job>|all [#channel|here]",
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
    summary="what you (or, in a channel, this channel and you) are subscribed to; snooze or mute.",
    examples=("subscriptions", "subscriptions mine"),
    parse=parse_subscriptions,
    run=run_subscriptions,
    ack=None,
    aliases=("subs",),
)
