"""``link_shared``: a link to a job in the SeekrFlow web app becomes a compact card."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps


async def on_link_shared(event: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await deps.unfurling.unfurl(client, event)
