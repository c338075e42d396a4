"""``/datajobs login``, ``logout`` and ``whoami``: thin handlers over identity and render."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.commands.base import Invocation, Subcommand
from bot.render.text import message

from .acting import user_ref
from .audit import AuditAction, Outcome
from .linking import unlink_key
from .render import (
    NOT_STORED_NO_ENCRYPTION,
    KEY_IN_TEXT,
    login_modal,
    logout_message,
    whoami_message,
)
from .views import LoginMeta

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
            AuditAction.LOGIN,
            inv.user_id,
            outcome=Outcome.REFUSED,
            channel=inv.channel_id,
            detail="text after login (possible key) refused, not stored",
        )
        await inv.reply(message(KEY_IN_TEXT))
        return
    if not access.identities.keystore.available:
        await inv.reply(message(NOT_STORED_NO_ENCRYPTION))
        return
    meta = LoginMeta(channel_id=inv.channel_id).encode()
    await inv.client.views_open(trigger_id=inv.trigger_id, view=login_modal(private_metadata=meta))


async def run_logout(cmd: Plain, inv: Invocation) -> None:
    access = inv.deps.access
    had = await unlink_key(access.identities, access.audit, inv.user_id)
    ref = user_ref(inv.user_id)
    if had and await access.identities.mark_dead(ref, "logged out"):
        # Subscriptions made with this key pause; channels are told once, the person here.
        await access.notices.announce(
            ref, "is no longer linked (its owner logged out)", skip=frozenset({f"u:{inv.user_id}"})
        )
    await inv.reply(logout_message(had, team_key=access.identities.has_team_key))


async def run_whoami(cmd: Plain, inv: Invocation) -> None:
    ids = inv.deps.access.identities
    identity = await ids.identify(inv.user_id)
    linked_at = None
    key_dead = False
    if identity.key_ref and identity.mode == "personal":
        linked = await ids.keystore.load(inv.user_id)
        linked_at = linked.linked_at if linked else None
        key_dead = await ids.is_dead(identity.key_ref)
    unreadable = identity.mode != "personal" and await ids.keystore.has_key(inv.user_id)
    await inv.reply(
        whoami_message(
            identity,
            linked_at=linked_at,
            can_store_keys=ids.keystore.available,
            key_dead=key_dead,
            operators_configured=ids.operators.configured,
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
