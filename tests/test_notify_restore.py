"""Redis restored from an older snapshot: nothing told twice, nothing lost.

The snapshot is taken while notifications are queued (Slack answering 429),
then those and later changes are delivered, then the snapshot is copied back
and Redis restarted. The restored state holds, as still to be told,
notifications Slack already shows, and job statuses from before changes that
were already told (the poller sees those again and records the same ids).
Once with the bot running through the restore, once with the bot stopped and
started again after it (every replica down: the clock alone tells).
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
import redis.asyncio as aioredis

from bot.store import keys
from bot.values import Dest
from sandbox.harness.redis_server import RedisServer
from tests.support.notify import delivered_nids, eventually, running_watcher, settle

pytestmark = pytest.mark.slow  # Redis saved, stopped and restored twice per test (about 25 s)

ALICE = "U0ALICE"
CHAN = "C0DATAJOBS"
EVENTS = ("needs_review", "completed", "failed")
TARGETS = (Dest.dm(ALICE), Dest.channel(CHAN))


def nids(job_id: str, status: str) -> set[str]:
    return {f"{job_id}|{status}|1|{d}" for d in TARGETS}


async def snapshot(server: RedisServer) -> bytes:
    r = aioredis.Redis.from_url(server.url)
    try:
        await r.save()
    finally:
        await r.aclose()
    return (server.dir / "dump.rdb").read_bytes()


def restore(server: RedisServer, rdb: bytes) -> None:
    """Stop Redis (it saves nothing on the way down), put the old snapshot back, start it."""
    server.stop()
    (server.dir / "dump.rdb").write_bytes(rdb)
    server.start()


def thread_of(fake, job_id: str, status: str) -> tuple[str, str | None]:
    """The (ts, thread_ts) of the channel message telling ``job_id`` reached ``status``."""
    nid = f"{job_id}|{status}|1|c:{CHAN}"
    for m in fake.messages(CHAN):
        if nid in ((m.get("metadata") or {}).get("event_payload") or {}).get("nids", []):
            return m["ts"], m.get("thread_ts")
    raise AssertionError(f"{nid} not in the channel")


async def _before_snapshot(h, ctl, fake, jobs) -> tuple[set[str], set[str]]:
    """Every job told as needs_review; the first three completed while Slack answers 429,
    so their notifications sit queued when the snapshot is taken. -> (told, queued)"""
    for j in jobs:
        job = await h.client.get_job(j["id"])
        for d in TARGETS:
            await h.subs.subscribe_job(d, job, events=EVENTS, key_ref="team", by=ALICE)
    for j in jobs[:6]:
        ctl.set_status(j["id"], "needs_review", "one file failed")
    first = set().union(*(nids(j["id"], "needs_review") for j in jobs[:6]))
    await eventually(lambda: first <= set(delivered_nids(fake)), timeout=30)
    fake.add_fault("chat.postMessage", status=429, retry_after=1, seconds=4)
    for j in jobs[:3]:
        ctl.set_status(j["id"], "completed")
    queued = set().union(*(nids(j["id"], "completed") for j in jobs[:3]))
    await eventually(lambda: _queued(h, queued), timeout=20)
    return first | queued, queued


async def _queued(h, wanted: set[str]) -> set[str] | None:
    got = await pending_now_from(h.redis)
    return wanted if wanted <= got else None


async def pending_now_from(r) -> set[str]:
    out: set[str] = set()
    for d in TARGETS:
        out |= set(await r.zrange(keys.pending(d), 0, -1))
    return out


async def _after_snapshot(ctl, fake, jobs, told: set[str]) -> set[str]:
    """The queued ones delivered; jobs 3 and 4 fail; then job 6 alone needs review, so its
    channel message starts the job's thread. All told after the snapshot."""
    for j in jobs[3:5]:
        ctl.set_status(j["id"], "failed", "alignment crashed")
    failed = nids(jobs[3]["id"], "failed") | nids(jobs[4]["id"], "failed")
    await eventually(lambda: told | failed <= set(delivered_nids(fake)), timeout=30)
    ctl.set_status(jobs[6]["id"], "needs_review", "one file failed")
    everything = told | failed | nids(jobs[6]["id"], "needs_review")
    await eventually(lambda: everything <= set(delivered_nids(fake)), timeout=30)
    return everything


def _assert_once(fake, expected: set[str]) -> None:
    seen = delivered_nids(fake)
    lost = expected - set(seen)
    twice = {n: c for n, c in seen.items() if c > 1}
    extra = set(seen) - expected
    print(
        f"\nexpected={len(expected)} lost={len(lost)} duplicated={len(twice)} "
        f"unexpected={len(extra)} history_reads={len(fake.calls('conversations.history'))} "
        f"thread_reads={len(fake.calls('conversations.replies'))}"
    )
    assert not lost, sorted(lost)
    assert not twice, twice
    assert not extra, sorted(extra)


@pytest.fixture
def restorable_redis():
    server = RedisServer().start()
    yield server
    server.cleanup()


async def test_restore_under_a_running_bot_tells_nothing_twice(
    restorable_redis, simulator, fake_slack, caplog
):
    ctl, fake = simulator.control, fake_slack.fake
    server = restorable_redis
    caplog.set_level(logging.WARNING, logger="bot.watcher")
    jobs = [ctl.create_job(f"restore job {i}", status="running") for i in range(8)]
    async with running_watcher(server.url, simulator, fake_slack) as h:
        told, queued = await _before_snapshot(h, ctl, fake, jobs)
        rdb = await snapshot(server)
        told = await _after_snapshot(ctl, fake, jobs, told)
        # what makes second copies likely: the snapshot has these still to tell
        assert queued <= set(delivered_nids(fake))
        restore(server, rdb)
        ctl.set_status(jobs[5]["id"], "completed")
        ctl.set_status(jobs[6]["id"], "completed")
        expected = told | nids(jobs[5]["id"], "completed") | nids(jobs[6]["id"], "completed")
        await eventually(lambda: expected <= set(delivered_nids(fake)), timeout=40)
        await settle(3.0)  # a late second copy shows up now
        health = await h.watcher.health()
    _assert_once(fake, expected)
    assert "redis_restore" in health and health["redis_restore"]["checking_until"]
    assert any("went back in time" in r.getMessage() for r in caplog.records)
    # job 6's completion went into the thread its needs_review started after the snapshot
    root_ts, _ = thread_of(fake, jobs[6]["id"], "needs_review")
    assert thread_of(fake, jobs[6]["id"], "completed")[1] == root_ts


async def test_restore_while_every_replica_is_down_tells_nothing_twice(
    restorable_redis, simulator, fake_slack, caplog
):
    ctl, fake = simulator.control, fake_slack.fake
    server = restorable_redis
    caplog.set_level(logging.WARNING, logger="bot.watcher")
    jobs = [ctl.create_job(f"cold job {i}", status="running") for i in range(8)]
    async with running_watcher(server.url, simulator, fake_slack) as h:
        told, queued = await _before_snapshot(h, ctl, fake, jobs)
        rdb = await snapshot(server)
        snapped = time.monotonic()
        told = await _after_snapshot(ctl, fake, jobs, told)
    assert queued <= set(delivered_nids(fake))  # the snapshot has these still to tell
    restore(server, rdb)
    # while the bot is down, job 6 finishes: its needs_review thread was started after the
    # snapshot, so the restored state does not know it
    ctl.set_status(jobs[6]["id"], "completed")
    # the bot stays down longer than a replica's heartbeat could be missing (10 s)
    await asyncio.sleep(max(0.0, 11.0 - (time.monotonic() - snapped)))
    async with running_watcher(server.url, simulator, fake_slack) as h:
        expected = told | nids(jobs[6]["id"], "completed")
        await eventually(lambda: expected <= set(delivered_nids(fake)), timeout=40)
        await settle(3.0)
        health = await h.watcher.health()
    _assert_once(fake, expected)
    assert "redis_restore" in health
    assert any("went back in time" in r.getMessage() for r in caplog.records)
    # job 6's completion went into the thread found in Slack, not a second thread
    root_ts, _ = thread_of(fake, jobs[6]["id"], "needs_review")
    assert thread_of(fake, jobs[6]["id"], "completed")[1] == root_ts
