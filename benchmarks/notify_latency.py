"""Time from a job's status change in SeekrFlow to the bot's chat.postMessage, beside POLL_INTERVAL.

    python benchmarks/notify_latency.py [--poll-interval 2] [--jobs 40]

Starts (on 127.0.0.1) the SeekrFlow simulator (clock paused), a fake Slack Web
API, a private redis-server (AOF) and the bot (``python -m bot``) with
``POLL_INTERVAL``. Subscribes ``--jobs`` running jobs, each to a different
person's DM (so Slack's one-message-per-second-per-channel pacing does not
queue them), then completes them one at a time at random moments and
measures, per job, the time from just before the status change to the
chat.postMessage carrying its notification id. Prints p50/p95/max beside
POLL_INTERVAL: detection alone is uniform over one interval, so p50 is
expected near I/2 and p95 near 0.95 I, plus the pipeline's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import time

import httpx
import redis.asyncio as aioredis

from bot.seekrflow import SeekrFlow
from bot.store import SubscriptionStore
from bot.values import TEAM, Dest
from sandbox.harness.redis_server import RedisServer
from sandbox.harness.replicas import Replica, log_dir, replica_env
from sandbox.harness.servers import start_fake_slack
from sandbox.server_thread import ServerThread
from sandbox.simulator import create_app
from sandbox.simulator.control import SimulatorControl


def post_times(fake) -> dict[str, float]:
    """job id -> time of the first chat.postMessage that carried its notification."""
    out: dict[str, float] = {}
    for call in fake.calls("chat.postMessage"):
        meta = call.args.get("metadata") or {}
        if isinstance(meta, str):
            import json

            meta = json.loads(meta)
        for nid in (meta.get("event_payload") or {}).get("nids", []):
            out.setdefault(nid.split("|", 1)[0], call.ts)
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


async def main(args: argparse.Namespace) -> None:
    redis_server = RedisServer(appendonly=True).start()
    sim = ServerThread(create_app(autoplay=False), log_level="warning").start()
    ctl = SimulatorControl(sim.url)
    slack = start_fake_slack()
    fake = slack.fake

    class _Sim:  # what replica_env reads
        url, api_key = sim.url, "sim-key"

    logs = log_dir()
    bot = Replica(
        "bot",
        replica_env(
            redis_server.url,
            _Sim,
            slack,
            POLL_INTERVAL=str(args.poll_interval),
            DELIVERY_LEASE="30",
            LOG_LEVEL="WARNING",
        ),
        logs,
    )
    r = aioredis.Redis.from_url(redis_server.url, decode_responses=True)
    http = httpx.AsyncClient()
    try:
        client = SeekrFlow(http, base_url=sim.url, api_key="sim-key")
        subs = SubscriptionStore(r)
        jobs = []
        for i in range(args.jobs):
            user = f"U9{i:06d}"
            fake.add_user(user, f"person{i}")
            job = await client.get_job(ctl.create_job(f"latency job {i}", status="running")["id"])
            await subs.subscribe_job(
                Dest.dm(user), job, events=("completed",), key_ref=TEAM, by=user
            )
            jobs.append(job.id)
        bot.start()
        bot.wait_healthy()
        await asyncio.sleep(args.poll_interval * 2)  # baseline polls done
        changed: dict[str, float] = {}
        rng = random.Random(11)
        for job_id in jobs:
            await asyncio.sleep(rng.uniform(0.2, 0.8))
            changed[job_id] = time.time()
            await asyncio.to_thread(ctl.set_status, job_id, "completed")
        deadline = time.monotonic() + 10 * args.poll_interval + 30
        while time.monotonic() < deadline and len(post_times(fake).keys() & changed.keys()) < len(
            jobs
        ):
            await asyncio.sleep(0.1)
        posted = post_times(fake)
        lat = [posted[j] - t for j, t in changed.items() if j in posted]
        i = args.poll_interval
        print(
            f"\nPOLL_INTERVAL={i:g}s, {len(lat)}/{len(jobs)} notifications posted "
            f"(each to its own DM)"
        )
        print(
            f"status change -> chat.postMessage: p50 {statistics.median(lat):.2f}s  "
            f"p95 {pct(lat, 0.95):.2f}s  max {max(lat):.2f}s"
        )
        print(
            f"baseline (detection alone, uniform over one interval): p50 {i / 2:.2f}s  "
            f"p95 {0.95 * i:.2f}s;  target p95 <= POLL_INTERVAL + 1s = {i + 1:.2f}s -> "
            f"{'met' if pct(lat, 0.95) <= i + 1 else 'NOT met'}"
        )
    finally:
        bot.kill()
        await http.aclose()
        await r.aclose()
        ctl.close()
        sim.stop()
        slack.server.stop()
        redis_server.cleanup()
        shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--poll-interval", type=float, default=2.0)
    p.add_argument("--jobs", type=int, default=40)
    asyncio.run(main(p.parse_args()))
