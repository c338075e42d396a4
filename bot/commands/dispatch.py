"""The ``/datajobs`` listener: parse once, ack at once, then run the subcommand."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.render.notices import help_message
from bot.render.text import clip
from bot.values import Actor

from .base import Invocation, Subcommand
from .parse import ParseError, split_first
from .table import SUBCOMMANDS, lookup

HELP_WORDS = ("", "help", "-h", "--help", "?")
SECRET_PREFIXES = ("sk-", "sk_", "xox", "xapp-", "ghp_", "glpat-")
SECRET_SHOWN = (
    ":no_entry: That looks like a key or token, so I did not keep or repeat it. "
    "It has passed through Slack: *rotate it now*. To link your SeekrFlow key, run "
    "`/datajobs login` with nothing after it and paste the key into the form."
)


def looks_secret(word: str) -> bool:
    """A key-like word (known prefixes, or long and mixing letters and digits): never echoed."""
    if word.lower().startswith(SECRET_PREFIXES):
        return True
    return (
        len(word) >= 24
        and any(c.isdigit() for c in word)
        and any(c.isalpha() for c in word)
        and " " not in word
    )


def usage(only: Subcommand | None = None, problem: str | None = None) -> dict[str, Any]:
    subs = [only] if only else SUBCOMMANDS
    return help_message([(s.usage, s.summary, list(s.examples)) for s in subs], problem)


def interpret(text: str) -> tuple[Subcommand, Any] | dict[str, Any]:
    """(subcommand, typed command), or the help message to show instead."""
    name, rest = split_first(text or "")
    if name.lower() in HELP_WORDS:
        return usage()
    sub = lookup(name)
    if sub is None:
        if looks_secret(name):
            return usage(problem=SECRET_SHOWN)
        return usage(problem=f"I don't know `{clip(name, 60)}`. Here is what I can do:")
    try:
        return sub, sub.parse(rest)
    except ParseError as exc:
        return usage(sub, problem=f":warning: {exc.message}")


async def on_datajobs(
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    deps: Deps,
    actor: Actor,
) -> None:
    command = body
    parsed = interpret(command.get("text", ""))
    if isinstance(parsed, dict):
        await ack(**parsed, response_type="ephemeral")
        return
    sub, cmd = parsed
    if sub.ack is None:
        await ack()
    else:
        await ack(text=sub.ack, response_type="ephemeral")
    inv = Invocation(
        actor=actor,
        trigger_id=command.get("trigger_id"),
        deps=deps,
        client=client,
        respond=respond,
    )
    await sub.run(cmd, inv)
