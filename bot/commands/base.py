"""What a subcommand is, and what its handler gets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import replies
from bot.deps import Deps
from bot.render.answers import answer
from bot.values import Actor

WORKING = "Working on it…"


@dataclass
class Invocation:
    """One person's ``/datajobs`` call, after the ack."""

    actor: Actor
    trigger_id: str | None
    deps: Deps
    client: AsyncWebClient
    respond: AsyncRespond

    async def reply(self, outcome: object) -> None:
        """The outcome's answer, to the person alone (through the response_url)."""
        await replies.ephemeral(self.respond, answer(outcome))


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
