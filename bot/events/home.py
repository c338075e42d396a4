"""``app_home_opened``: publish the person's Home (from what was read in the last seconds)."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps


async def on_home_opened(event: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    if event.get("tab", "home") != "home":  # the Messages tab needs nothing published
        return
    user = event.get("user")
    if isinstance(user, str) and user:
        await deps.home.publish(client, user)
