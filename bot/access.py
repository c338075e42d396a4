"""Which SeekrFlow client acts for a person.

This version uses the team key (``SEEKR_API_KEY``) for everyone, for reading
and changing. ``writer`` names the action so rules about who may change what
live here and nowhere else.
"""

from __future__ import annotations

import httpx

from bot.errors import NotAllowed
from bot.seekrflow import SeekrFlow
from bot.settings import Settings

NO_TEAM_KEY = ("No SeekrFlow API key is set up for this workspace: "
               "ask whoever runs the bot to set SEEKR_API_KEY.")


class Access:
    def __init__(self, settings: Settings, http: httpx.AsyncClient):
        key = settings.seekr_api_key.get_secret_value() if settings.seekr_api_key else ""
        self._team: SeekrFlow | None = None
        if key:
            self._team = SeekrFlow(http, base_url=settings.seekr_base_url, api_key=key,
                                   team_id=settings.seekr_team_id,
                                   timeout=settings.seekr_timeout)

    async def reader(self, user_id: str) -> SeekrFlow:
        """The client that reads for ``user_id``."""
        if self._team is None:
            raise NotAllowed(NO_TEAM_KEY)
        return self._team

    async def writer(self, user_id: str, action: str) -> SeekrFlow:
        """The client that changes things for ``user_id``; ``action`` is e.g. "cancel"."""
        return await self.reader(user_id)
