"""The audit trail: one structured log line and one capped stream entry per change."""

from __future__ import annotations

import json
import logging

import pytest
from redis.asyncio import Redis

from bot.store import Audit, Outcome, keys
from bot.values import Change


@pytest.fixture
async def redis(redis_url):
    r = Redis.from_url(redis_url, decode_responses=True)
    yield r
    await r.aclose()


async def test_change_is_one_log_line_and_one_stream_entry(redis, caplog):
    audit = Audit(redis)
    with caplog.at_level(logging.INFO, logger="bot.audit"):
        await audit.record(
            Change.RENAME,
            "U1",
            job_id="dj-1",
            before="old <name>",
            after="new name",
            identity="personal",
            channel="C1",
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.audit"]
    assert len(lines) == 1 and "\n" not in lines[0]
    data = json.loads(lines[0].removeprefix("audit "))
    assert data["action"] == "rename" and data["actor"] == "U1" and data["job_id"] == "dj-1"
    assert (data["before"], data["after"], data["outcome"]) == ("old <name>", "new name", "ok")
    [entry] = await audit.recent()
    assert (entry.action, entry.actor, entry.before, entry.after) == (
        "rename",
        "U1",
        "old <name>",
        "new name",
    )


async def test_stream_is_capped(redis):
    audit = Audit(redis, maxlen=100)
    for i in range(600):
        await audit.record(Change.CANCEL, f"U{i}", job_id=f"dj-{i}", outcome=Outcome.REFUSED)
    length = await redis.xlen(keys.audit_stream())
    assert 100 <= length < 300  # MAXLEN ~ trims whole nodes: near the cap, never unbounded
    newest = await audit.recent(1)
    assert newest[0].actor == "U599" and newest[0].outcome == "refused"


async def test_redis_down_does_not_lose_the_log_line(caplog):
    dead = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    with caplog.at_level(logging.INFO):
        await Audit(dead).record(Change.LOGOUT, "U1")
    msgs = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("audit ") and '"logout"' in m for m in msgs)
    assert any("not kept in Redis" in m for m in msgs)
    await dead.aclose()
