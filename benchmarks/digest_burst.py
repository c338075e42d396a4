"""A burst of finished jobs in one channel: how soon every job is named, and in how many messages.

    python benchmarks/digest_burst.py [--jobs 100]

Starts (on 127.0.0.1) the SeekrFlow simulator, a fake Slack Web API, a private
redis-server and the watcher, subscribes ``--jobs`` running jobs in one channel,
completes them all at once and measures, from the moment the first change is
recorded in Redis, when each job's name is in the channel. Once with digests
(as the bot runs), once one message per job (the baseline); both paced at
Slack's ~1 message per second per channel.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bot.store import keys
from bot.values import Dest
from sandbox.harness.redis_server import RedisServer
from sandbox.harness.servers import make_simulator, start_fake_slack, stop_simulator
from sandbox.harness.watching import running_watcher

CHAN = "C0DATAJOBS"  # a channel of the fake Slack's world


def named(fake, jobs) -> int:
    text = "\n".join(
        m.get("text", "") + str(m.get("blocks", ""))
        for m in fake.messages(CHAN)
        if (m.get("metadata") or {}).get("event_type") == "datajob_notification"
    )
    return sum(1 for j in jobs if j["name"] in text)


async def run(n: int, digest_min: int) -> dict:
    server = RedisServer().start()
    sim = make_simulator()
    fake_slack = start_fake_slack()
    fake, ctl = fake_slack.fake, sim.control
    try:
        jobs = [ctl.create_job(f"burst job {i:04}", status="running") for i in range(n)]
        async with running_watcher(
            server.url, sim, fake_slack, digest_min=digest_min, poll_interval=0.5
        ) as h:
            for j in jobs:
                job = await h.client.get_job(j["id"])
                await h.subs.subscribe_job(
                    Dest.channel(CHAN), job, events=("completed",), key_ref="team", by="U0B"
                )
            await asyncio.sleep(1.5)  # one poll records the baseline
            for j in jobs:
                ctl.set_status(j["id"], "completed")
            pend = keys.pending(Dest.channel(CHAN))
            while not await h.redis.zcard(pend) and not named(fake, jobs):
                await asyncio.sleep(0.02)
            t0 = time.monotonic()
            deadline = t0 + max(60.0, 1.5 * n)
            first = None
            while time.monotonic() < deadline:
                k = named(fake, jobs)
                if k and first is None:
                    first = time.monotonic() - t0
                if k == n:
                    break
                await asyncio.sleep(0.05)
            took = time.monotonic() - t0
            return {
                "named": named(fake, jobs),
                "messages": len(fake.messages(CHAN)),
                "first_s": first or 0.0,
                "all_s": took,
            }
    finally:
        fake_slack.server.stop()
        stop_simulator(sim)
        server.cleanup()


async def main(args: argparse.Namespace) -> None:
    rows = []
    for label, digest_min in (("digests", 3), ("one message per job", 10**9)):
        runs = [await run(args.jobs, digest_min) for _ in range(args.runs)]
        rows.append((label, runs))
    print(f"{args.jobs} jobs finishing at once in one channel ({args.runs} run(s) each)")
    print(f"{'':22} {'named':>6} {'messages':>9} {'first (s)':>10} {'all named (s)':>14}")
    for label, runs in rows:
        for r in runs:
            print(
                f"{label:22} {r['named']:>6} {r['messages']:>9} {r['first_s']:>10.2f}"
                f" {r['all_s']:>14.2f}"
            )
    best = min(r["all_s"] for r in rows[0][1])
    base = min(r["all_s"] for r in rows[1][1])
    print(f"all named: {base / best:.1f}x sooner with digests than one message per job")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=100)
    p.add_argument("--runs", type=int, default=1)
    asyncio.run(main(p.parse_args()))
