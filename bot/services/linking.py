"""Linking and forgetting a person's SeekrFlow key (no Slack in here).

A key is kept only after SeekrFlow accepted it (``list_jobs(limit=1)``); the
answer also names the account it works for. Nothing is stored when
``BOT_ENCRYPTION_KEY`` is unset, when the key is refused, or when SeekrFlow
does not answer.
"""

from __future__ import annotations

import logging
import re

from pydantic import SecretStr

from bot import logs
from bot.outcomes import LinkedKey as Linked
from bot.outcomes import LoggedOut, LoginRefused, WhoAmI
from bot.seekrflow import NO_RETRY, KeyRejected, RateLimited, SeekrFlowError, Unavailable
from bot.store import EncryptionUnavailable, LinkedKey, Outcome
from bot.values import Actor, Change, Dest, KeyRef, Mode

from .access import Access
from .pausing import LOGGED_OUT, PauseNotices

logger = logging.getLogger(__name__)

CHECK_TIMEOUT = 8.0
_TEAM_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class LinkRefused(Exception):
    """The key was not kept; ``str()`` says why in words for the person (never the key)."""

    def __init__(self, message: str, *, field: str = "key"):
        super().__init__(message)
        self.message = message
        self.field = field  # "key" or "team": which form field the message belongs to


def clean_key(raw: str | None) -> SecretStr:
    key = (raw or "").strip()
    if not key:
        raise LinkRefused("Paste your SeekrFlow API key.")
    if any(c.isspace() for c in key) or not key.isprintable():
        raise LinkRefused("That does not look like an API key: it has spaces or line breaks in it.")
    if len(key) > 512:
        raise LinkRefused("That is too long for a SeekrFlow API key.")
    logs.forget_in_logs(raw, key)
    return SecretStr(key)


def clean_team(raw: str | None) -> str | None:
    team = (raw or "").strip()
    if not team:
        return None
    if not _TEAM_ID.match(team):
        raise LinkRefused(
            "A team id is letters, digits, '.', '_', ':' or '-' (at most 128).", field="team"
        )
    return team


async def link_key(
    access: Access, user_id: str, *, raw_key: str | None, raw_team: str | None
) -> Linked:
    """Check the key with SeekrFlow and keep it encrypted; raise LinkRefused otherwise."""
    audit = access.audit
    if not access.keystore.available:
        raise LinkRefused("Not stored: BOT_ENCRYPTION_KEY is not set.")
    key, team = clean_key(raw_key), clean_team(raw_team)
    client = access.client_for_key(key, team, retry=NO_RETRY, timeout=CHECK_TIMEOUT)
    try:
        jobs = await client.list_jobs(limit=1)
    except KeyRejected:
        await audit.record(
            Change.LOGIN, user_id, outcome=Outcome.FAILED, detail="key rejected by SeekrFlow"
        )
        where = " for that team id" if team else ""
        raise LinkRefused(
            f"SeekrFlow did not accept this key{where} (401/403). "
            "Check that you copied all of it, and that it is not revoked."
        ) from None
    except RateLimited:
        raise LinkRefused(
            "SeekrFlow is rate-limiting requests right now; try again in a minute. "
            "Nothing was stored."
        ) from None
    except Unavailable:
        raise LinkRefused(
            "SeekrFlow did not answer, so the key could not be checked. "
            "Nothing was stored; try again."
        ) from None
    except SeekrFlowError as exc:
        raise LinkRefused(
            f"SeekrFlow could not check the key ({type(exc).__name__}). "
            "Nothing was stored; try again."
        ) from None
    account = jobs[0].user_id if jobs else None
    team_seen = team or (jobs[0].team_id if jobs else None)
    await access.keystore.save(user_id, LinkedKey(api_key=key, team_id=team, account=account))
    revived = await access.key_state.revive(KeyRef.user(user_id))
    if revived:  # its paused subscriptions: poll them now
        await access.key_state.poll_now(KeyRef.user(user_id))
    await audit.record(
        Change.LOGIN,
        user_id,
        identity="personal",
        after=account or "unnamed account",
        detail="resumed paused subscriptions" if revived else None,
    )
    return Linked(account=account, team_id=team_seen)


async def unlink_key(access: Access, user_id: str) -> bool:
    """Forget the person's key; True when there was one."""
    had = await access.keystore.forget(user_id)
    await access.audit.record(
        Change.LOGOUT,
        user_id,
        identity="personal",
        outcome=Outcome.OK if had else Outcome.REFUSED,
        detail=None if had else "no key was linked",
    )
    return had


class Linking:
    """``Deps.linking``: login, logout and whoami for one actor."""

    def __init__(self, access: Access, notices: PauseNotices):
        self.access = access
        self.notices = notices

    @property
    def can_store_keys(self) -> bool:
        return self.access.keystore.available

    async def login(self, actor: Actor, *, typed_text: bool) -> LoginRefused | None:
        """None when the login form may open; else why not. Text after ``login`` (maybe a
        key) is refused and audited, and never kept."""
        if typed_text:
            await self.access.audit.record(
                Change.LOGIN,
                actor.user_id,
                outcome=Outcome.REFUSED,
                channel=actor.channel_id,
                detail="text after login (possible key) refused, not stored",
            )
            return LoginRefused("typed_text")
        if not self.can_store_keys:
            return LoginRefused("no_encryption")
        return None

    async def link(self, actor: Actor, *, raw_key: str | None, raw_team: str | None) -> Linked:
        """Check the key with SeekrFlow and keep it encrypted; LinkRefused otherwise."""
        try:
            return await link_key(self.access, actor.user_id, raw_key=raw_key, raw_team=raw_team)
        except EncryptionUnavailable:
            raise LinkRefused("Not stored: BOT_ENCRYPTION_KEY is not set.") from None

    async def logout(self, actor: Actor) -> LoggedOut:
        """Forget the key. Its subscriptions are marked paused *before* the key is forgotten,
        so the watcher never finds the key gone first; channels are then told once, and the
        person here rather than in their DM."""
        access, ref = self.access, KeyRef.user(actor.user_id)
        first = await access.keystore.has_key(actor.user_id) and await access.key_state.mark_dead(
            ref, "logged out"
        )
        had = await unlink_key(access, actor.user_id)
        if had and first:
            await self.notices.announce(ref, LOGGED_OUT, skip=frozenset({Dest.dm(actor.user_id)}))
        return LoggedOut(had, team_key=access.has_team_key)

    async def whoami(self, actor: Actor) -> WhoAmI:
        access = self.access
        identity = await access.identity(actor.user_id)
        linked_at, key_dead = None, False
        if identity.key_ref and identity.mode is Mode.PERSONAL:
            linked = await access.keystore.load(actor.user_id)
            linked_at = linked.linked_at if linked else None
            key_dead = await access.key_state.is_dead(identity.key_ref)
        unreadable = identity.mode is not Mode.PERSONAL and await access.keystore.has_key(
            actor.user_id
        )
        return WhoAmI(
            identity,
            linked_at=linked_at,
            can_store_keys=access.keystore.available,
            key_dead=key_dead,
            operators_configured=access.operators.configured,
            key_unreadable=unreadable,
        )
