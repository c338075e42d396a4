"""Start-up, /healthz, and the configuration a person gets told about."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sandbox.harness.ports import free_port
from sandbox.harness.redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent


def _health(bot, want: int, timeout: float = 20.0) -> httpx.Response:
    """Poll /healthz until it answers ``want`` (background loops beat shortly after start)."""
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(bot.url + "/healthz", timeout=10)
        if response.status_code == want or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def test_healthz_is_200_when_up_and_503_when_redis_goes_away(make_bot):
    redis = RedisServer().start()
    try:
        bot = make_bot(redis_url=redis.url)
        up = _health(bot, 200)
        assert up.status_code == 200, up.text
        assert up.json()["ok"] is True and up.json()["redis"] == "up"
        redis.stop()
        down = _health(bot, 503)
        assert down.status_code == 503, down.text
        assert down.json()["redis"] == "unreachable"
        redis.restart()
        assert _health(bot, 200).status_code == 200  # and back when Redis is
    finally:
        redis.cleanup()


def test_healthz_never_shows_secrets(bot):
    text = httpx.get(bot.url + "/healthz", timeout=10).text
    for secret in (
        bot.settings.slack_bot_token,
        bot.settings.slack_signing_secret,
        bot.settings.seekr_api_key,
    ):
        assert secret.get_secret_value() not in text


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(("SLACK_", "SEEKR_", "REDIS_", "BOT_", "OPERATORS"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "env, names",
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, "SEEKR_API_KEY"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        ({"SLACK_API_URL": "ftp://example"}, "SLACK_API_URL"),
        ({"SEEKR_BASE_URL": "flow.seekr.com"}, "SEEKR_BASE_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
    ],
)
def test_missing_or_malformed_setting_stops_startup_with_one_line(env, names):
    done = _start({"PORT": str(free_port()), **env})
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and names in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    for value in env.values():
        if value.startswith("xox"):
            assert value not in done.stderr
