"""Telling someone that a subscription's target no longer takes messages, once."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.render.notices import broken_target_text, why_broken
from bot.store import NotifyState
from bot.values import Dest

logger = logging.getLogger(__name__)

BROKEN_ERRORS = frozenset(
    {
        "is_archived",
        "channel_not_found",
        "not_in_channel",
        "account_inactive",
        "user_not_found",
        "user_disabled",
    }
)


async def report_broken(state: NotifyState, slack: AsyncWebClient, dest: Dest, reason: str) -> int:
    """DM whoever set up a channel's subscriptions (once per breakage); returns how many were told.

    A person's own DM that broke (account deactivated) has nobody left to tell.
    """
    if not await state.report_once(dest):
        return 0
    if not dest.is_channel:
        logger.info("notifications to %s stopped: %s", dest, why_broken(reason))
        return 0
    people = await state.set_up_by(dest)
    text = broken_target_text(dest, reason)
    told = 0
    for user in people:
        try:
            await slack.chat_postMessage(channel=user, text=text)
            told += 1
        except Exception as exc:  # noqa: BLE001 - tell the others regardless
            logger.info("could not tell %s about %s (%s)", user, dest, type(exc).__name__)
    return told
