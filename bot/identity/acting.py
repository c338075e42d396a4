"""Which SeekrFlow identity acts for a Slack user, and what it may do.

- A person who linked a key (``/datajobs login``) always acts with it, for
  reading and changing, whoever made the message they clicked on.
- Otherwise, when ``SEEKR_API_KEY`` (the team key) is set, everyone may read
  with it, and only ``OPERATORS`` may change things with it (rename, cancel,
  subscribing a channel). Everyone else is refused before any SeekrFlow call.

A ``key_ref`` names the key a subscription polls with: ``user:<slack id>``
for a linked key, ``team`` for the team key. It never contains the key.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Callable

import httpx
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.store import keys

from .keystore import KeyStore
from .operators import Operators

TEAM_REF = "team"


class Mode(StrEnum):
    PERSONAL = "personal"
    TEAM = "team"
    NONE = "none"


# What each changing action is called in a refusal: "you can't <verb>".
VERBS = {
    "cancel": "cancel this",
    "rename": "rename this",
    "subscribe_channel": "subscribe a channel",
    "unsubscribe_channel": "unsubscribe a channel",
}
CHANGING = frozenset(VERBS)


def refusal(action: str) -> str:
    verb = VERBS.get(action, action)
    return f"You can't {verb}: ask an operator or `/datajobs login` with your own SeekrFlow key."


NO_KEY = (
    "No SeekrFlow key acts for you here: use `/datajobs login` to link your own key "
    "(this workspace has no team key)."
)


def user_ref(slack_user_id: str) -> str:
    return f"user:{slack_user_id}"


def ref_owner(key_ref: str) -> str | None:
    """The Slack user id behind ``user:<id>``; None for the team key."""
    return key_ref.split(":", 1)[1] if key_ref.startswith("user:") else None


@dataclass(frozen=True)
class Identity:
    """Who acts for ``user_id``. ``api_key`` stays a SecretStr; repr never shows it."""

    user_id: str
    mode: Mode
    operator: bool = False
    account: str | None = None
    team_id: str | None = None
    api_key: SecretStr | None = None

    @property
    def key_ref(self) -> str | None:
        return {Mode.PERSONAL: user_ref(self.user_id), Mode.TEAM: TEAM_REF}.get(self.mode)

    @property
    def may_read(self) -> bool:
        return self.mode is not Mode.NONE

    def may(self, action: str) -> bool:
        if action not in CHANGING:
            return self.may_read
        return self.mode is Mode.PERSONAL or (self.mode is Mode.TEAM and self.operator)


class KeyUnavailable(Exception):
    """A key_ref no longer leads to a key (logged out, team key unset, undecryptable)."""


ClientFactory = Callable[..., object]


def default_client_factory(
    http: httpx.AsyncClient, *, base_url: str, api_key: str, team_id: str | None, **options
):
    from bot.seekrflow import SeekrFlow  # the client package; imported when first needed

    return SeekrFlow(http, base_url=base_url, api_key=api_key, team_id=team_id, **options)


class Identities:
    """Resolves people and key_refs to identities and SeekrFlow clients."""

    def __init__(
        self,
        *,
        redis: Redis,
        keystore: KeyStore,
        operators: Operators,
        http: httpx.AsyncClient,
        base_url: str,
        team_key: SecretStr | None,
        team_id: str | None,
        client_factory: ClientFactory = default_client_factory,
        client_options: dict | None = None,
    ):
        self.keystore = keystore
        self.operators = operators
        self._redis = redis
        self._http = http
        self._base_url = base_url
        self._team_key = team_key if team_key and team_key.get_secret_value() else None
        self._team_id = team_id
        self._factory = client_factory
        self._options = dict(client_options or {})  # e.g. timeout, for every client made here

    @property
    def has_team_key(self) -> bool:
        return self._team_key is not None

    async def identify(self, user_id: str) -> Identity:
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

    def client(self, identity: Identity):
        """The client acting for ``identity``; a linked key's 401 tells the person what to do."""
        if identity.api_key is None:
            raise KeyUnavailable(NO_KEY)
        client = self.client_for_key(identity.api_key, identity.team_id)
        if identity.mode is Mode.PERSONAL:
            from .personal import PersonalClient

            return PersonalClient(client)
        return client

    def client_for_key(self, api_key: SecretStr, team_id: str | None, **options):
        """A client for one key; ``options`` (retry, timeout) go to ``SeekrFlow``."""
        return self._factory(
            self._http,
            base_url=self._base_url,
            api_key=api_key.get_secret_value(),
            team_id=team_id,
            **{**self._options, **options},
        )

    async def client_for_ref(self, key_ref: str):
        """The client a subscription polls with; KeyUnavailable when the key is gone."""
        if key_ref == TEAM_REF:
            if self._team_key is None:
                raise KeyUnavailable("the team key (SEEKR_API_KEY) is not set")
            return self.client_for_key(self._team_key, self._team_id)
        owner = ref_owner(key_ref)
        if owner is None:
            raise KeyUnavailable(f"unknown key reference {key_ref!r}")
        linked = await self.keystore.load(owner)
        if linked is None:
            raise KeyUnavailable(f"<@{owner}> no longer has a SeekrFlow key linked")
        return self.client_for_key(linked.api_key, linked.team_id)

    # --- keys that stopped working: announced once --------------------------------
    async def mark_dead(self, key_ref: str, reason: str) -> bool:
        """Record that ``key_ref`` stopped working; True only the first time (announce then)."""
        value = json.dumps({"reason": reason, "ts": time.time()})
        return bool(await self._redis.hsetnx(keys.dead_key_refs(), key_ref, value))

    async def is_dead(self, key_ref: str) -> bool:
        return bool(await self._redis.hexists(keys.dead_key_refs(), key_ref))

    async def poll_now(self, key_ref: str) -> None:
        """Make the watcher poll ``key_ref`` at once, if it polls it at all."""
        await self._redis.zadd(keys.poll_due(), {key_ref: int(time.time() * 1000)}, xx=True)

    async def revive(self, key_ref: str) -> bool:
        """A working key is linked again for ``key_ref``; True when it had been marked dead."""
        return bool(await self._redis.hdel(keys.dead_key_refs(), key_ref))


def build_identities(settings, http: httpx.AsyncClient, redis: Redis, slack) -> Identities:
    """Identities from the settings: BOT_ENCRYPTION_KEY, SEEKR_API_KEY, SEEKR_TEAM_ID, OPERATORS."""
    from .crypto import Cipher

    return Identities(
        redis=redis,
        keystore=KeyStore(redis, Cipher(settings.bot_encryption_key)),
        operators=Operators(settings.operators, slack),
        http=http,
        base_url=settings.seekr_base_url,
        team_key=settings.seekr_api_key,
        team_id=settings.seekr_team_id,
        client_options={"timeout": getattr(settings, "seekr_timeout", 10.0)},
    )
