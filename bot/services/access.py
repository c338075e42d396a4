"""Who acts for a Slack user, with which SeekrFlow client, and whether they may change things.

- A person who linked a key (``/datajobs login``) always acts with it, for
  reading and changing, whoever made the message they clicked on: the
  clicker's rights count, never the message author's.
- Otherwise, when ``SEEKR_API_KEY`` (the team key) is set, everyone may read
  with it, and only ``OPERATORS`` may change things with it (rename, cancel,
  subscribing a channel). Everyone else is refused (``NotAllowed``, audited)
  before any SeekrFlow call is made.

A ``KeyRef`` names the key a subscription polls with; it never contains the key.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import SecretStr

from bot.seekrflow import KeyRejected, SeekrFlow
from bot.settings import Settings
from bot.store import Audit, Cipher, KeyState, KeyStore, Outcome
from bot.store.connect import AnyRedis
from bot.values import Actor, Change, Dest, Identity, KeyRef, Mode

from .operators import Operators

NO_KEY = (
    "No SeekrFlow key acts for you here: use `/datajobs login` to link your own key "
    "(this workspace has no team key)."
)
PERSONAL_KEY_REJECTED = (
    "SeekrFlow rejected your linked key (revoked or expired?). Use `/datajobs login` "
    "with a new key, or `/datajobs logout` to act with the team key."
)


class NotAllowed(Exception):
    """The person may not do this (no key, not an operator); ``message`` says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class KeyUnavailable(Exception):
    """A key_ref no longer leads to a key (logged out, team key unset, undecryptable)."""


def refusal(change: Change) -> str:
    return (
        f"You can't {change.verb}: ask an operator or `/datajobs login` with your own "
        "SeekrFlow key."
    )


async def _personal_rejected(exc: KeyRejected) -> KeyRejected:
    """A linked key's 401/403 is the person's to fix: the error says so."""
    return KeyRejected(PERSONAL_KEY_REJECTED, status=exc.status, detail="personal")


class Access:
    """Resolves people and key_refs to identities and SeekrFlow clients; checks rights."""

    def __init__(
        self,
        *,
        keystore: KeyStore,
        key_state: KeyState,
        operators: Operators,
        audit: Audit,
        http: httpx.AsyncClient,
        base_url: str,
        team_key: SecretStr | None,
        team_id: str | None,
        timeout: float = 10.0,
    ):
        self.keystore = keystore
        self.key_state = key_state
        self.operators = operators
        self.audit = audit
        self._http = http
        self._base_url = base_url
        self._team_key = team_key if team_key and team_key.get_secret_value() else None
        self._team_id = team_id
        self._timeout = timeout

    @property
    def has_team_key(self) -> bool:
        return self._team_key is not None

    async def identity(self, user_id: str) -> Identity:
        """Who acts for ``user_id``: ``.mode``, ``.key_ref`` (subscriptions), ``.may(change)``."""
        linked = await self.keystore.load(user_id)
        if linked is not None:
            return Identity(
                user_id,
                Mode.PERSONAL,
                account=linked.account,
                team_id=linked.team_id,
                api_key=linked.api_key,
            )
        if self._team_key is None:
            return Identity(user_id, Mode.NONE)
        return Identity(
            user_id,
            Mode.TEAM,
            operator=await self.operators.is_operator(user_id),
            team_id=self._team_id,
            api_key=self._team_key,
        )

    async def reader(self, actor: Actor) -> SeekrFlow:
        """The client that reads for ``actor``; NotAllowed when no key acts for them."""
        identity = await self.identity(actor.user_id)
        if not identity.may_read:
            raise NotAllowed(NO_KEY)
        return self.client(identity)

    async def authorize(
        self,
        actor: Actor,
        change: Change,
        *,
        dest: Dest | None = None,
        job: str | None = None,
    ) -> Identity:
        """Who acts for ``actor`` when they may make ``change``; else ``NotAllowed``, audited.

        The one place that knows the rules: a DM ``dest`` is its owner's alone; a channel
        ``dest`` takes the channel variant of the change (``Change.in_channel``), which needs
        the right to change things; a change to jobs needs a linked key, or the team key and
        being an operator. Nothing is asked of SeekrFlow before this says yes.
        """
        if dest is not None and dest.is_channel:
            change = change.in_channel
        identity = await self.identity(actor.user_id)
        if dest is not None and dest.is_dm and dest.ident != actor.user_id:
            await self._refused(actor, change, identity, dest, job, "someone else's DM")
            raise NotAllowed(change.someone_elses)
        if not identity.may(change):
            why = "not an operator" if identity.may_read else "no key"
            await self._refused(actor, change, identity, dest, job, why)
            raise NotAllowed(refusal(change) if identity.may_read else NO_KEY)
        return identity

    async def writer(
        self,
        actor: Actor,
        change: Change,
        *,
        dest: Dest | None = None,
        job: str | None = None,
    ) -> tuple[SeekrFlow, Identity]:
        """``authorize``, and the client that makes the change. The change itself is audited
        by whoever makes it (``bot.services.jobs``, …)."""
        identity = await self.authorize(actor, change, dest=dest, job=job)
        return self.client(identity), identity

    async def _refused(
        self,
        actor: Actor,
        change: Change,
        identity: Identity,
        dest: Dest | None,
        job: str | None,
        why: str,
    ) -> None:
        await self.audit.record(
            change,
            actor.user_id,
            outcome=Outcome.REFUSED,
            job_id=job,
            identity=identity.mode.value,
            channel=dest.ident if dest is not None and dest.is_channel else actor.channel_id,
            detail=why,
        )

    def client(self, identity: Identity) -> SeekrFlow:
        """The client acting for ``identity``; a linked key's 401 tells the person what to do."""
        if identity.api_key is None:
            raise KeyUnavailable(NO_KEY)
        hook = _personal_rejected if identity.mode is Mode.PERSONAL else None
        return self.client_for_key(identity.api_key, identity.team_id, on_key_rejected=hook)

    def client_for_key(self, api_key: SecretStr, team_id: str | None, **options: Any) -> SeekrFlow:
        """A client for one key; ``options`` (retry, timeout, on_key_rejected) go to SeekrFlow."""
        return SeekrFlow(
            self._http,
            base_url=self._base_url,
            api_key=api_key.get_secret_value(),
            team_id=team_id,
            **{"timeout": self._timeout, **options},
        )

    async def client_for_ref(self, key_ref: KeyRef, **options: Any) -> SeekrFlow:
        """The client a subscription polls with; KeyUnavailable when the key is gone."""
        if key_ref.is_team:
            if self._team_key is None:
                raise KeyUnavailable("the team key (SEEKR_API_KEY) is not set")
            return self.client_for_key(self._team_key, self._team_id, **options)
        assert key_ref.owner is not None
        linked = await self.keystore.load(key_ref.owner)
        if linked is None:
            raise KeyUnavailable(f"<@{key_ref.owner}> no longer has a SeekrFlow key linked")
        return self.client_for_key(linked.api_key, linked.team_id, **options)


def build_access(
    settings: Settings, http: httpx.AsyncClient, redis: AnyRedis, slack: Any
) -> Access:
    """From the settings: BOT_ENCRYPTION_KEY, SEEKR_API_KEY, SEEKR_TEAM_ID, OPERATORS."""
    return Access(
        keystore=KeyStore(redis, Cipher(settings.bot_encryption_key)),
        key_state=KeyState(redis),
        operators=Operators(settings.operators, slack),
        audit=Audit(redis),
        http=http,
        base_url=settings.seekr_base_url,
        team_key=settings.seekr_api_key,
        team_id=settings.seekr_team_id,
        timeout=settings.seekr_timeout,
    )
