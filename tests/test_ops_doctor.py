"""`python -m bot doctor` against real servers, and the start-up warning for a Redis that may
lose the bot's state."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from bot.ids import BOT_SCOPES
from sandbox.harness.redis_server import RedisServer
from sandbox.harness.replicas import replica_env

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def aof_redis():
    server = RedisServer(appendonly=True).start()
    try:
        yield server
    finally:
        server.cleanup()


def doctor(env: dict[str, str]) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "bot", "doctor"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def failing(out: str) -> list[str]:
    return [line.split(":", 1)[0].removeprefix("FAIL").strip() for line in out.splitlines()
            if line.startswith("FAIL")]  # fmt: skip


def test_the_scopes_checked_are_the_manifests():
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_doctor_passes_against_a_working_setup(aof_redis, simulator, fake_slack):
    run = doctor(replica_env(aof_redis.url, simulator, fake_slack))
    assert run.returncode == 0, run.stdout + run.stderr
    assert failing(run.stdout) == []
    for check in ("settings", "mode", "slack", "scopes", "seekrflow", "redis aof"):
        assert f"ok    {check}:" in run.stdout, run.stdout
    assert "every required check passed" in run.stdout


def test_doctor_names_seekrflow_when_the_key_is_wrong(aof_redis, simulator, fake_slack):
    env = replica_env(aof_redis.url, simulator, fake_slack, SEEKR_API_KEY="sk-not-a-real-key")
    run = doctor(env)
    assert run.returncode != 0
    assert failing(run.stdout) == ["seekrflow"], run.stdout
    assert "rejected SEEKR_API_KEY" in run.stdout
    assert "sk-not-a-real-key" not in run.stdout + run.stderr


def test_doctor_names_redis_when_it_has_no_aof(redis_url, simulator, fake_slack):
    run = doctor(replica_env(redis_url, simulator, fake_slack))  # the session's: appendonly no
    assert run.returncode != 0
    assert failing(run.stdout) == ["redis aof"], run.stdout
    assert "appendonly yes" in run.stdout


def test_doctor_names_each_failure_with_its_fix(aof_redis, simulator, fake_slack):
    fake_slack.fake.scopes = [s for s in BOT_SCOPES if s not in ("links:write", "users:read")]
    env = replica_env(
        aof_redis.url,
        simulator,
        fake_slack,
        SLACK_SIGNING_SECRET="",
        REDIS_CLUSTER="true",
    )
    run = doctor(env)
    assert run.returncode != 0
    assert set(failing(run.stdout)) == {"settings", "mode", "scopes", "redis cluster"}, run.stdout
    assert "missing users:read, links:write" in run.stdout
    assert "set REDIS_CLUSTER=false" in run.stdout


def test_doctor_names_linked_keys_this_setup_cannot_read(aof_redis, simulator, fake_slack):
    import asyncio

    import redis.asyncio as aioredis
    from pydantic import SecretStr

    from bot.store import Cipher, KeyStore, LinkedKey, generate_key

    stored_with = generate_key()

    async def link() -> None:
        r = aioredis.Redis.from_url(aof_redis.url, decode_responses=True)
        await KeyStore(r, Cipher(stored_with)).save(
            "U0CAROL", LinkedKey(api_key=SecretStr("sk-carol-personal-123"))
        )
        await r.aclose()

    asyncio.run(link())
    try:
        for enc, verdict in (
            ("", "BOT_ENCRYPTION_KEY is not set here"),
            (generate_key(), "1 of 1 cannot be decrypted"),
            (stored_with, None),
        ):
            env = replica_env(aof_redis.url, simulator, fake_slack, BOT_ENCRYPTION_KEY=enc)
            run = doctor(env)
            assert "sk-carol-personal-123" not in run.stdout + run.stderr
            if verdict is None:
                assert run.returncode == 0, run.stdout
                assert "ok    linked keys: 1, all readable" in run.stdout
            else:
                assert failing(run.stdout) == ["linked keys"], run.stdout
                assert verdict in run.stdout
    finally:
        import redis

        redis.Redis.from_url(aof_redis.url).flushall()


def test_doctor_names_an_unreachable_redis_and_a_bad_slack_token(simulator, fake_slack):
    from sandbox.harness.ports import free_port

    env = replica_env(f"redis://127.0.0.1:{free_port()}/0", simulator, fake_slack)
    env["SLACK_BOT_TOKEN"] = "xoxb-revoked-0000"
    run = doctor(env)
    assert run.returncode != 0
    assert set(failing(run.stdout)) == {"slack", "redis"}, run.stdout
    assert "xoxb-revoked-0000" not in run.stdout + run.stderr


def healthy(bot, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(f"{bot.url}/healthz", timeout=5)
        if response.status_code == 200:
            return response.json()
        assert time.monotonic() < deadline, response.text
        time.sleep(0.2)


def test_start_up_warns_of_a_redis_without_aof_and_healthz_says_so(make_bot, caplog):
    caplog.set_level(logging.WARNING)
    bot = make_bot()  # the session's redis-server runs without an append-only file
    warned = [r.getMessage() for r in caplog.records if "append-only" in r.getMessage()]
    assert warned and "appendonly yes" in warned[0]
    body = healthy(bot)  # a warning, not an outage
    assert body["redis_aof"] is False and body["redis_may_evict"] is False
    assert any("append-only" in w for w in body["redis_warnings"])


def test_no_warning_for_a_redis_that_keeps_everything(make_bot, aof_redis, caplog):
    caplog.set_level(logging.WARNING)
    bot = make_bot(redis_url=aof_redis.url)
    assert not [r for r in caplog.records if "Redis" in r.getMessage()]
    body = httpx.get(f"{bot.url}/healthz", timeout=5).json()
    assert body["redis_aof"] is True and body["redis_warnings"] == []


def test_healthz_reports_a_redis_that_may_evict(make_bot, aof_redis):
    import redis

    r = redis.Redis.from_url(aof_redis.url)
    r.config_set("maxmemory", "512mb")
    r.config_set("maxmemory-policy", "allkeys-lru")
    try:
        bot = make_bot(redis_url=aof_redis.url)
        body = httpx.get(f"{bot.url}/healthz", timeout=5).json()
        assert body["redis_may_evict"] is True
        assert any("noeviction" in w for w in body["redis_warnings"])
    finally:
        r.config_set("maxmemory-policy", "noeviction")
        r.config_set("maxmemory", "0")
        r.close()
