"""Linked keys at rest: encrypted in Redis, readable across a BOT_ENCRYPTION_KEY rotation."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.settings import parse_fernet_keys as parse_keys
from bot.store import Cipher, EncryptionUnavailable, KeyStore, LinkedKey, generate_key
from tests.support.identity_helpers import every_redis_value

SECRET = "sk-live-0123456789abcdef-very-secret"


@pytest.fixture
async def redis(redis_url):
    r = Redis.from_url(redis_url, decode_responses=True)
    yield r
    await r.aclose()


async def test_saved_key_is_loaded_back(redis):
    store = KeyStore(redis, Cipher(generate_key()))
    await store.save("U1", LinkedKey(api_key=SECRET, team_id="team-9", account="user-sim"))
    got = await store.load("U1")
    assert got.api_key.get_secret_value() == SECRET
    assert (got.team_id, got.account) == ("team-9", "user-sim")
    assert got.linked_at > 0
    assert await store.load("U2") is None


async def test_stored_key_is_not_readable_anywhere_in_redis(redis, redis_url):
    store = KeyStore(redis, Cipher(generate_key()))
    await store.save("U1", LinkedKey(api_key=SECRET, team_id="team-secret-id"))
    blob = every_redis_value(redis_url)
    assert blob, "nothing was stored"
    assert SECRET.encode() not in blob
    assert b"0123456789abcdef" not in blob
    assert b"team-secret-id" not in blob


async def test_key_does_not_print(redis):
    linked = LinkedKey(api_key=SECRET)
    assert SECRET not in repr(linked) and SECRET not in str(linked)
    with pytest.raises(Exception) as info:
        LinkedKey(api_key=SECRET, linked_at="not a number")
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)


async def test_without_encryption_key_nothing_is_stored(redis, redis_url):
    store = KeyStore(redis, Cipher(None))
    assert not store.available
    with pytest.raises(EncryptionUnavailable) as info:
        await store.save("U1", LinkedKey(api_key=SECRET))
    assert "BOT_ENCRYPTION_KEY" in str(info.value)
    assert every_redis_value(redis_url) == b""


async def test_rotation_keeps_old_keys_working(redis, redis_url):
    old, new = generate_key(), generate_key()
    await KeyStore(redis, Cipher(old)).save("U1", LinkedKey(api_key=SECRET))

    # Step 1: prepend the new key; what the old key encrypted still decrypts.
    both = KeyStore(redis, Cipher(f"{new},{old}"))
    assert (await both.load("U1")).api_key.get_secret_value() == SECRET
    # The new key alone cannot read it yet.
    assert await KeyStore(redis, Cipher(new)).load("U1") is None

    # Step 2: re-encrypt everything under the first key; then the old key can go.
    await both.save("U2", LinkedKey(api_key=SECRET + "-2"))
    result = await both.rotate()
    assert result.rotated == 2 and result.unreadable == []
    only_new = KeyStore(redis, Cipher(new))
    assert (await only_new.load("U1")).api_key.get_secret_value() == SECRET
    assert (await only_new.load("U2")).api_key.get_secret_value() == SECRET + "-2"
    assert await KeyStore(redis, Cipher(old)).load("U1") is None
    assert SECRET.encode() not in every_redis_value(redis_url)


async def test_rotation_reports_keys_it_cannot_read(redis):
    await KeyStore(redis, Cipher(generate_key())).save("U-lost", LinkedKey(api_key=SECRET))
    result = await KeyStore(redis, Cipher(generate_key())).rotate()
    assert result.rotated == 0 and result.unreadable == ["U-lost"]


async def test_forget_removes_the_key(redis):
    store = KeyStore(redis, Cipher(generate_key()))
    await store.save("U1", LinkedKey(api_key=SECRET))
    assert await store.forget("U1") is True
    assert await store.load("U1") is None
    assert await store.forget("U1") is False


def test_malformed_encryption_key_is_named_without_echoing_it():
    good = generate_key()
    with pytest.raises(ValueError) as info:
        parse_keys(f"{good},not-a-fernet-key-at-all")
    assert "key 2 of 2" in str(info.value)
    assert "not-a-fernet-key-at-all" not in str(info.value) and good not in str(info.value)


def test_malformed_bot_encryption_key_stops_startup_naming_it(monkeypatch):
    from bot.settings import SettingsError, load_settings

    monkeypatch.setenv("BOT_ENCRYPTION_KEY", "hunter2-not-fernet")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value).startswith("BOT_ENCRYPTION_KEY:")
    assert "hunter2" not in str(info.value)
    monkeypatch.setenv("BOT_ENCRYPTION_KEY", f" {generate_key()}, {generate_key()} ")
    assert load_settings().bot_encryption_key is not None


async def test_rotate_keys_command_reencrypts_everything(redis, redis_url):
    import os
    import subprocess
    import sys

    old, new = generate_key(), generate_key()
    await KeyStore(redis, Cipher(old)).save("U1", LinkedKey(api_key=SECRET))
    env = {**os.environ, "REDIS_URL": redis_url, "BOT_ENCRYPTION_KEY": f"{new},{old}"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "rotate-keys"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 linked key(s) re-encrypted" in proc.stdout
    assert new not in proc.stdout + proc.stderr and SECRET not in proc.stdout + proc.stderr
    assert (await KeyStore(redis, Cipher(new)).load("U1")).api_key.get_secret_value() == SECRET
