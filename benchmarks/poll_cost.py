"""SeekrFlow requests per watcher poll cycle, beside one GET per job and the floor.

    python benchmarks/poll_cost.py [--keys 10] [--watched 1000] [--cycles 4]

Starts (on 127.0.0.1) the SeekrFlow simulator (clock paused) and a private
redis-server. Creates ``--keys`` API keys whose lists hold 100–1,200 jobs, and
subscribes ``--watched`` unfinished jobs spread over them; some keys watch old
jobs deep in their list. Then runs the poller's cycles and counts, from the
simulator's request log, the requests each cycle made:

- naive: one GET per watched job per cycle (N);
- floor: sum over keys of min(pages to reach the key's oldest watched job,
  the key's watched jobs);
- the watcher: first cycle (learning where jobs are), steady cycles, and a
  cycle in which 20 watched jobs changed status (+1 detail GET each).
Also prints Redis memory per subscription, and per status change seen (the snapshot kept
for the notification and the line in the job's history that ``/datajobs why`` reads).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
from datetime import UTC, datetime, timedelta

import httpx
import redis.asyncio as aioredis

from bot.seekrflow import SeekrFlow
from bot.store import NotifyState, SubscriptionStore, keys
from bot.values import Dest, KeyRef
from bot.watcher import Poller
from sandbox.harness.redis_server import RedisServer
from sandbox.server_thread import ServerThread
from sandbox.simulator import create_app
from sandbox.simulator.control import SimulatorControl

LIST_SIZES = [100, 200, 300, 500, 800, 1000, 1200, 400, 250, 150]
DEEP_KEYS = {5, 6, 7}  # these keys also watch a few of their oldest jobs
SPREAD_KEYS = {3, 4, 8}  # these keys watch jobs spread evenly over their whole list


def layout(keys: int, watched: int) -> list[tuple[int, list[int]]]:
    """Per key: (list size, positions of watched jobs; 0 = newest)."""
    per = watched // keys
    out = []
    for k in range(keys):
        size = max(LIST_SIZES[k % len(LIST_SIZES)], per)
        recent = per - (3 if k in DEEP_KEYS else 0)
        positions = list(range(recent))
        if k in SPREAD_KEYS:
            positions = [i * size // per for i in range(per)]
        if k in DEEP_KEYS:
            positions += [size - 1, size - 2, size - 40]
        out.append((size, sorted(set(positions))))
    return out


def floor_requests(plan: list[tuple[int, list[int]]]) -> int:
    return sum(min(math.ceil((max(pos) + 1) / 100), len(pos)) for _, pos in plan if pos)


def mixed_optimum(plan: list[tuple[int, list[int]]]) -> int:
    """The cheapest mix per key: read k pages, GET the watched jobs beyond them."""
    return sum(
        min(
            k + sum(1 for p in pos if p >= 100 * k)
            for k in range(math.ceil((max(pos) + 1) / 100) + 1)
        )
        for _, pos in plan
        if pos
    )


def sim_requests(ctl: SimulatorControl) -> int:
    return sum(1 for r in ctl.requests() if r["path"].startswith("/v1/"))


async def main(args: argparse.Namespace) -> None:
    redis_server = RedisServer().start()
    sim = ServerThread(create_app(autoplay=False), log_level="warning").start()
    ctl = SimulatorControl(sim.url)
    http = httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=20))
    r = aioredis.Redis.from_url(redis_server.url, decode_responses=True)
    try:
        plan = layout(args.keys, args.watched)
        base = datetime.now(UTC) - timedelta(days=30)
        clients, watched_ids = {}, {}
        print(f"creating {sum(s for s, _ in plan)} jobs for {args.keys} keys…", flush=True)
        for k, (size, positions) in enumerate(plan):
            print(
                f"  key {k}: {size} jobs, {len(positions)} watched, oldest watched at "
                f"position {max(positions)}"
            )
        for k, (size, positions) in enumerate(plan):
            key = f"bench-key-{k}"
            ctl.add_key(key, user_id=f"user-bench-{k}")
            want = set(positions)
            ids = {}
            for pos in range(size - 1, -1, -1):  # oldest first; position 0 = newest
                job = ctl.create_job(
                    f"job {k}-{pos}",
                    api_key=key,
                    status="running" if pos in want else "completed",
                    created_at=base + timedelta(minutes=size - pos),
                )
                if pos in want:
                    ids[pos] = job["id"]
            clients[KeyRef.user(f"UBENCH{k}")] = SeekrFlow(http, base_url=sim.url, api_key=key)
            watched_ids[KeyRef.user(f"UBENCH{k}")] = list(ids.values())

        async def resolve(key_ref: KeyRef) -> SeekrFlow:
            return clients[key_ref]

        subs, state = SubscriptionStore(r), NotifyState(r)
        mem0 = (await r.info("memory"))["used_memory"]
        n = 0
        for key_ref, ids in watched_ids.items():
            for job_id in ids:
                job = await clients[key_ref].get_job(job_id)
                await subs.subscribe_job(
                    Dest.dm(f"U{n % 50:04d}"),
                    job,
                    key_ref=key_ref,
                    by="U0BENCH",
                    events=("completed", "failed"),
                )
                n += 1
        mem1 = (await r.info("memory"))["used_memory"]
        poller = Poller(state, resolve, interval=10)
        floor = floor_requests(plan)

        async def cycle() -> int:
            ctl.clear_requests()
            await asyncio.gather(*(poller.poll_key(k) for k in clients))
            return sim_requests(ctl)

        counts = [await cycle() for _ in range(args.cycles)]
        changed = [ids[i] for ids in watched_ids.values() for i in range(2)]
        for job_id in changed:
            ctl.set_status(job_id, "queued")
        with_changes = await cycle()
        # memory per change: a second round of changes (the first also loaded the Lua scripts)
        again = [ids[i] for ids in watched_ids.values() for i in range(2, 4)]
        for job_id in again:
            ctl.set_status(job_id, "queued")
        mem2 = await footprint(r, again)
        await cycle()
        mem3 = await footprint(r, again)

        print(
            f"\nwatched jobs: {n} over {args.keys} keys "
            f"(lists of {min(s for s, _ in plan)}–{max(s for s, _ in plan)} jobs)"
        )
        print(f"naive (one GET per job):      {n} requests/cycle")
        print(f"floor Σ min(pages, jobs):     {floor} requests/cycle")
        print(
            f"best mix of pages and GETs:   {mixed_optimum(plan)} requests/cycle "
            "(read k pages, GET the jobs beyond; never above the floor)"
        )
        print(f"watcher, first cycle:         {counts[0]} ({counts[0] / floor:.2f}× floor)")
        steady = statistics.median(counts[1:]) if len(counts) > 1 else counts[0]
        print(
            f"watcher, steady (median of {len(counts) - 1}): {steady:g} "
            f"({steady / floor:.2f}× floor, {n / steady:.0f}× fewer than naive)"
        )
        print(
            f"watcher, {len(changed)} jobs changed:    {with_changes} "
            f"(floor + changes = {floor + len(changed)}, "
            f"{with_changes / (floor + len(changed)):.2f}×)"
        )
        print(
            f"Redis memory per subscription: {(mem1 - mem0) / n:.0f} bytes "
            f"(used_memory delta {mem1 - mem0} for {n} subscriptions incl. job state)"
        )
        print(
            f"Redis memory per status change seen: {(mem3 - mem2) / len(again):.0f} bytes "
            f"(MEMORY USAGE of the jobs' state and history before and after: {mem2} -> {mem3} "
            f"bytes for {len(again)} changes)"
        )
    finally:
        await http.aclose()
        await r.aclose()
        ctl.close()
        sim.stop()
        redis_server.cleanup()


async def footprint(r, job_ids: list[str]) -> int:
    """Bytes Redis reports (MEMORY USAGE) for these jobs' state hashes and history lists."""
    total = 0
    for job_id in job_ids:
        for key in (keys.job(job_id), f"{keys.NOTIFY}:log:{job_id}"):
            total += await r.memory_usage(key) or 0
    return total


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--keys", type=int, default=10)
    p.add_argument("--watched", type=int, default=1000)
    p.add_argument("--cycles", type=int, default=4)
    asyncio.run(main(p.parse_args()))
