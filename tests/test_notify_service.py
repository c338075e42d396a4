"""The watcher as a service: heartbeat in /healthz, clean SIGTERM stop, failures survived."""

from __future__ import annotations

import shutil
import signal

import httpx
import redis

from bot.seekrflow import RetryPolicy
from bot.store import keys
from bot.values import DEFAULT_EVENTS, Dest
from sandbox.harness.replicas import Replica, log_dir, replica_env
from tests.support.notify import eventually, running_watcher, settle


def test_healthz_reports_the_watcher_and_sigterm_stops_it_cleanly(redis_url, simulator, fake_slack):
    env = replica_env(redis_url, simulator, fake_slack, LOG_LEVEL="INFO")
    logs = log_dir()
    rep = Replica("svc", env, logs).start()
    r = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        rep.wait_healthy()
        body = httpx.get(f"http://127.0.0.1:{rep.port}/healthz", timeout=5).json()
        assert body["watcher"] == "up" and body["ok"] is True
        beats = r.keys(keys.heartbeat("*"))
        assert len(beats) == 1
        rep.proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises SIGTERM as the exit status
        assert rep.proc.wait(timeout=20) in (0, -signal.SIGTERM), rep.tail()
        assert r.keys(keys.heartbeat("*")) == []  # gone at once, not left to expire
        assert " stopped" in rep.tail(), rep.tail()
    finally:
        rep.kill()
        r.close()
        shutil.rmtree(logs, ignore_errors=True)


async def test_failing_cycles_are_survived_and_backed_off(redis_url, simulator, fake_slack):
    ctl, fake = simulator.control, fake_slack.fake
    job = ctl.create_job("through the storm", status="running")
    async with running_watcher(redis_url, simulator, fake_slack) as h:
        await h.subs.subscribe_job(
            Dest.dm("U0ALICE"),
            await h.client.get_job(job["id"]),
            events=DEFAULT_EVENTS,
            key_ref="team",
            by="U0ALICE",
        )
        await settle(1.0)
        ctl.clear_requests()
        ctl.add_fault(500, methods=["GET"])  # every SeekrFlow read fails
        await settle(4.0)
        failed = [q for q in ctl.requests() if q["path"].startswith("/v1/")]
        ctl.clear_faults()
        ctl.set_status(job["id"], "completed")
        dm = fake.open_dm("U0ALICE").id
        await eventually(
            lambda: [m for m in fake.messages(dm) if "completed" in m["text"]], timeout=60
        )
        assert h.watcher.healthy()
    # each failing poll is one list read the client itself tries `attempts` times (about 1.5 s
    # of its own backoff); polling every 0.3 s without the watcher's backoff would be ~13 polls
    # in 4 s, with it at most 3 (that is, 3 x attempts requests)
    attempts = RetryPolicy().attempts
    assert 1 <= len(failed) <= 3 * attempts, len(failed)
