"""`python -m bot gen-key` and `python -m bot rotate-keys`: BOT_ENCRYPTION_KEY chores.

Rotation: set BOT_ENCRYPTION_KEY="<new>,<old>" (the new key first), restart
the bot, run `python -m bot rotate-keys` once, then drop "<old>".
"""

from __future__ import annotations

import asyncio
import sys

from bot.settings import Settings
from bot.store import Cipher, KeyStore, generate_key
from bot.store.connect import request_client


def gen_key() -> int:
    print(generate_key())
    return 0


async def _rotate(settings: Settings) -> int:
    cipher = Cipher(settings.bot_encryption_key)
    if not cipher.available:
        print("rotate-keys: BOT_ENCRYPTION_KEY is not set", file=sys.stderr)
        return 2
    redis = request_client(settings)
    try:
        result = await KeyStore(redis, cipher).rotate()
    finally:
        await redis.aclose()
    print(f"rotate-keys: {result.rotated} linked key(s) re-encrypted with the first key")
    if result.unreadable:
        print(
            f"rotate-keys: {len(result.unreadable)} key(s) cannot be decrypted with any key in "
            f"BOT_ENCRYPTION_KEY (users: {', '.join(result.unreadable)}); they must log in again",
            file=sys.stderr,
        )
        return 1
    return 0


def rotate_keys(settings: Settings) -> int:
    return asyncio.run(_rotate(settings))
