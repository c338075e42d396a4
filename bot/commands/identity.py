"""``/datajobs login``, ``logout`` and ``whoami``: thin handlers over access, linking and render."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.payloads import LoginMeta
from bot.render.identity import (
    KEY_IN_TEXT,
    NOT_STORED_NO_ENCRYPTION,
    login_modal,
    logout_message,
    whoami_message,
)
from bot.render.text import message
from bot.services.linking import unlink_key
from bot.services.pausing import LOGGED_OUT
from bot.store import Outcome
from bot.values import Change, Dest, KeyRef, Mode

from .base import Invocation, Subcommand

logger = logging.getLogger(__name__)


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
    access = inv.deps.access
    if cmd.typed_text:
        await access.audit.record(
            Change.LOGIN,
            inv.user_id,
            outcome=Outcome.REFUSED,
            channel=inv.channel_id,
            detail="text after login (possible key) refused, not stored",
        )
        await inv.reply(message(KEY_IN_TEXT))
        return
    if not access.keystore.available:
        await inv.reply(message(NOT_STORED_NO_ENCRYPTION))
        return
    meta = LoginMeta(channel_id=inv.channel_id).encode()
    await inv.client.views_open(trigger_id=inv.trigger_id, view=login_modal(private_metadata=meta))


async def run_logout(cmd: Plain, inv: Invocation) -> None:
    access = inv.deps.access
    ref = KeyRef.user(inv.user_id)
    # Marked paused before the key is forgotten, so the watcher never finds the key gone
    # first and tells the person's DM too.
    first = await access.keystore.has_key(inv.user_id) and await access.key_state.mark_dead(
        ref, "logged out"
    )
    had = await unlink_key(access, inv.user_id)
    if had and first:
        # Subscriptions made with this key pause; channels are told once, the person here.
        await inv.deps.notices.announce(ref, LOGGED_OUT, skip=frozenset({Dest.dm(inv.user_id)}))
    await inv.reply(logout_message(had, team_key=access.has_team_key))


async def run_whoami(cmd: Plain, inv: Invocation) -> None:
    access = inv.deps.access
    identity = await access.identity(inv.user_id)
    linked_at = None
    key_dead = False
    if identity.key_ref and identity.mode is Mode.PERSONAL:
        linked = await access.keystore.load(inv.user_id)
        linked_at = linked.linked_at if linked else None
        key_dead = await access.key_state.is_dead(identity.key_ref)
    unreadable = identity.mode is not Mode.PERSONAL and await access.keystore.has_key(inv.user_id)
    await inv.reply(
        whoami_message(
            identity,
            linked_at=linked_at,
            can_store_keys=access.keystore.available,
            key_dead=key_dead,
            operators_configured=access.operators.configured,
            key_unreadable=unreadable,
        )
    )


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
