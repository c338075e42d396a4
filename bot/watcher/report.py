"""Telling someone that a subscription's target no longer takes messages, once."""

from __future__ import annotations

import json
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.store import NotifyState, dest_label, keys

logger = logging.getLogger(__name__)

BROKEN_ERRORS = frozenset({"is_archived", "channel_not_found", "not_in_channel",
                           "account_inactive", "user_not_found", "user_disabled"})

WHY = {
    "is_archived": "the channel was archived",
    "channel_not_found": "the channel is gone, or it is private and I am no longer in it",
    "not_in_channel": "I am no longer in the channel",
    "account_inactive": "the account is deactivated",
    "user_not_found": "the person no longer exists in this workspace",
    "user_disabled": "the account is disabled",
}


def why(reason: str) -> str:
    return WHY.get(reason, reason)


async def report_broken(state: NotifyState, slack: AsyncWebClient, dest: str, reason: str) -> int:
    """DM whoever set up a channel's subscriptions (once per breakage); returns how many were told.

    A person's own DM that broke (account deactivated) has nobody left to tell.
    """
    if not await state.r.hsetnx(keys.target(dest), "reported", "1"):
        return 0
    if not dest.startswith("c:"):
        logger.info("notifications to %s stopped: %s", dest, why(reason))
        return 0
    records = await state.r.hvals(keys.dest_subs(dest))
    people = sorted({json.loads(r).get("by") for r in records} - {None, ""})[:5]
    text = (f":warning: I can no longer post job notifications in {dest_label(dest)}: "
            f"{why(reason)}. Its subscriptions are paused; once that is fixed, "
            "`/datajobs subscribe` there again to resume them.")
    told = 0
    for user in people:
        try:
            await slack.chat_postMessage(channel=user, text=text)
            told += 1
        except Exception as exc:  # noqa: BLE001 - tell the others regardless
            logger.info("could not tell %s about %s (%s)", user, dest, type(exc).__name__)
    return told
