"""``app_home_opened``: publish the person's Home (from what was read in the last seconds)."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot import replies
from bot.deps import Deps
from bot.render.answers import answer
from bot.values import Actor


async def on_home_opened(
    event: dict[str, Any], client: AsyncWebClient, deps: Deps, actor: Actor | None
) -> None:
    if event.get("tab", "home") != "home":  # the Messages tab needs nothing published
        return
    if actor is not None:
        await replies.home(client, actor.user_id, answer(await deps.home.view(actor)))
