"""``link_shared``: a link to a job in the SeekrFlow web app becomes a compact card."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.values import Actor


async def on_link_shared(
    event: dict[str, Any], client: AsyncWebClient, deps: Deps, actor: Actor | None
) -> None:
    if actor is not None:
        await deps.unfurling.unfurl(client, actor, event)
