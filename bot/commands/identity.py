"""``/datajobs login``, ``logout`` and ``whoami``: thin handlers over the linking service."""

from __future__ import annotations

from dataclasses import dataclass

from bot.payloads import LoginMeta
from bot.render.identity import login_modal

from .base import Invocation, Subcommand


@dataclass(frozen=True)
class Login:
    typed_text: bool  # something followed "login": maybe a key. The text itself is never kept.


@dataclass(frozen=True)
class Plain:
    pass


def parse_login(rest: str) -> Login:
    return Login(typed_text=bool(rest.strip()))


def parse_plain(rest: str) -> Plain:
    return Plain()  # anything after logout/whoami is ignored, and never echoed


async def run_login(cmd: Login, inv: Invocation) -> None:
    refused = await inv.deps.linking.login(inv.actor, typed_text=cmd.typed_text)
    if refused is not None:
        await inv.reply(refused)
        return
    meta = LoginMeta(channel_id=inv.actor.channel_id).encode()
    await inv.client.views_open(trigger_id=inv.trigger_id, view=login_modal(private_metadata=meta))


async def run_logout(cmd: Plain, inv: Invocation) -> None:
    await inv.reply(await inv.deps.linking.logout(inv.actor))


async def run_whoami(cmd: Plain, inv: Invocation) -> None:
    await inv.reply(await inv.deps.linking.whoami(inv.actor))


LOGIN = Subcommand(
    name="login",
    usage="login",
    summary="links your own SeekrFlow key (in a private form, never as command text).",
    examples=("login",),
    parse=parse_login,
    run=run_login,
    ack=None,
)
LOGOUT = Subcommand(
    name="logout",
    usage="logout",
    summary="forgets your linked SeekrFlow key.",
    examples=("logout",),
    parse=parse_plain,
    run=run_logout,
    ack=None,
)
WHOAMI = Subcommand(
    name="whoami",
    usage="whoami",
    summary="which SeekrFlow identity acts for you, and what you may do.",
    examples=("whoami",),
    parse=parse_plain,
    run=run_whoami,
    ack=None,
)
