"""Linked SeekrFlow keys, one per Slack user, encrypted at rest in Redis.

All linked keys live in one Redis hash (field = Slack user id, value = a
Fernet token of the JSON record), so a rotation is a single-key operation that
also works on Redis Cluster. Nothing in clear ever reaches Redis: the API key,
the team id and the account name are all inside the token.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, SecretStr

from bot import logs

from . import keys
from .connect import AnyRedis
from .crypto import Cipher, UndecryptableSecret

logger = logging.getLogger(__name__)


class LinkedKey(BaseModel):
    """A person's SeekrFlow key and what it was found to work for."""

    model_config = ConfigDict(hide_input_in_errors=True, frozen=True)

    api_key: SecretStr
    team_id: str | None = None
    account: str | None = None  # the SeekrFlow user id its jobs belong to, when seen
    linked_at: float = 0.0

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "api_key": self.api_key.get_secret_value(),
                "team_id": self.team_id,
                "account": self.account,
                "linked_at": self.linked_at,
            }
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> LinkedKey:
        return cls.model_validate(json.loads(raw))


@dataclass(frozen=True)
class RotationResult:
    rotated: int
    unreadable: list[str]


class KeyStore:
    """Save, load and forget linked keys; re-encrypt them all after a key rotation.

    ``redis`` is a client made by ``bot.store.connect`` (answers decoded to str).
    """

    def __init__(self, redis: AnyRedis, cipher: Cipher):
        self._redis = redis
        self.cipher = cipher

    @property
    def available(self) -> bool:
        """False when BOT_ENCRYPTION_KEY is unset: nothing may be stored."""
        return self.cipher.available

    async def save(self, slack_user_id: str, linked: LinkedKey) -> None:
        if not linked.linked_at:
            linked = linked.model_copy(update={"linked_at": time.time()})
        token = self.cipher.encrypt(linked.to_json())  # raises EncryptionUnavailable first
        await self._redis.hset(keys.linked_keys(), slack_user_id, token)

    async def load(self, slack_user_id: str) -> LinkedKey | None:
        """The person's key, or None when none is linked or it can no longer be decrypted."""
        if not self.cipher.available:
            return None
        token = await self._redis.hget(keys.linked_keys(), slack_user_id)
        if token is None:
            return None
        try:
            linked = LinkedKey.from_json(self.cipher.decrypt(token))
        except UndecryptableSecret:
            logger.warning(
                "the linked key of %s cannot be decrypted with BOT_ENCRYPTION_KEY "
                "(an old encryption key removed too early?); they must log in again",
                slack_user_id,
            )
            return None
        logs.forget_in_logs(linked.api_key.get_secret_value())
        return linked

    async def has_key(self, slack_user_id: str) -> bool:
        return bool(await self._redis.hexists(keys.linked_keys(), slack_user_id))

    async def forget(self, slack_user_id: str) -> bool:
        """Remove the person's key; True when there was one."""
        return bool(await self._redis.hdel(keys.linked_keys(), slack_user_id))

    async def users(self) -> list[str]:
        return sorted(await self._redis.hkeys(keys.linked_keys()))

    async def rotate(self) -> RotationResult:
        """Re-encrypt every stored key under the first BOT_ENCRYPTION_KEY key.

        Each field is swapped only if it still holds the token that was read
        (a Lua compare-and-set), so a login racing the rotation is never undone.
        """
        stored = await self._redis.hgetall(keys.linked_keys())
        rotated, unreadable = 0, []
        for user, token in stored.items():
            try:
                new = self.cipher.rotate(token)
            except UndecryptableSecret:
                unreadable.append(user)
                continue
            if await self._redis.eval(_SWAP, 1, keys.linked_keys(), user, token, new):
                rotated += 1
        return RotationResult(rotated=rotated, unreadable=unreadable)


_SWAP = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
"""
