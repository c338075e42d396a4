"""What a subcommand is, and what its handler gets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.refs import Reference
from bot.services.finding import find_job
from bot.values import Change

WORKING = "Working on it…"


@dataclass
class Invocation:
    """One person's ``/datajobs`` call, after the ack."""

    user_id: str
    channel_id: str | None
    team_id: str | None
    trigger_id: str | None
    deps: Deps
    client: AsyncWebClient
    respond: AsyncRespond

    async def reply(self, msg: dict[str, Any], *, replace: bool = False) -> None:
        """An ephemeral answer to the person (through the response_url)."""
        await self.respond(**msg, response_type="ephemeral", replace_original=replace)

    async def job_id(self, ref: Reference, change: Change | None = None) -> str:
        """The id of the job ``ref`` names, looked up with this person's key when needed.

        For a ``change`` the person's right to make it is checked first (refused and
        audited before any SeekrFlow call, as for an id).
        """
        if ref.job_id is not None:
            return ref.job_id
        access = self.deps.access
        if change is None:
            seekr = await access.reader(self.user_id)
        else:
            seekr, _ = await access.writer(self.user_id, change, channel=self.channel_id)
        return await find_job(seekr, ref)


@dataclass(frozen=True)
class Subcommand:
    """One row of the command table.

    ``parse`` turns the text after the subcommand into a typed command (or raises
    ``ParseError``); ``run`` does the slow work after the ack; ``ack`` is the
    immediate ephemeral answer (None for an empty ack, e.g. before opening a modal).
    """

    name: str
    usage: str
    summary: str
    examples: tuple[str, ...]
    parse: Callable[[str], Any]
    run: Callable[[Any, Invocation], Awaitable[None]]
    ack: str | None = WORKING
    aliases: tuple[str, ...] = ()
