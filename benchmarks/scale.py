"""The bot at the size a large team reaches: 10,000 subscriptions, 3 replicas, one Redis.

    python benchmarks/scale.py [--jobs 2000] [--keys 200] [--subs-per-job 5] [--finish 500]
                               [--channels 50] [--replicas 3] [--poll 5]

Starts on 127.0.0.1: a private redis-server, the SeekrFlow simulator (clock paused), the fake
Slack (chat.postMessage held to about one message per second per channel, as Slack does) and
``--replicas`` bot processes (`python -m bot`, each its own watcher).

- 200 keys: the team key and 199 personal keys linked by as many people (encrypted, as
  `/datajobs login` stores them); each owns 10 running jobs (2,000 watched jobs).
- 10,000 subscriptions, 5 per job: the 1,500 jobs that keep running are followed by 150
  people in their DMs; the 500 that will finish, by 50 channels (50 jobs per channel).

Prints, each beside its target:
- Redis bytes per subscription (``used_memory`` before and after the 10,000 subscriptions,
  job state and watch sets included), and where those bytes sit;
- each replica's RSS (its own ``/metrics``: ``process_resident_memory_bytes``);
- SeekrFlow requests per poll cycle (the simulator's log over three cycles) beside the floor
  Σ over keys min(list pages to reach its oldest watched job, its watched jobs);
- notifications per second when the 500 jobs finish at once (2,500 notifications to 50
  channels), how many Slack messages carried them, the 429s met, and that each was delivered
  exactly once (the nids in the messages' metadata).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import shutil
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import redis.asyncio as aioredis

from bot.seekrflow.models import DataJob
from bot.store import Cipher, KeyStore, LinkedKey, SubscriptionStore, generate_key, keys
from bot.values import DEFAULT_EVENTS, TEAM, Dest, KeyRef
from sandbox.harness.redis_server import RedisServer
from sandbox.harness.replicas import Replica, log_dir, replica_env
from sandbox.harness.servers import start_fake_slack
from sandbox.harness.watching import delivered_nids
from sandbox.playground.world import BOT_USER_ID, Channel, User
from sandbox.server_thread import ServerThread
from sandbox.simulator import create_app
from sandbox.simulator.control import SimulatorControl

TEAM_KEY = "bench-team-key"
TARGETS = {"redis_bytes_per_sub": 400, "rss_mb": 150}


def person(i: int) -> str:
    return f"U0P{i:05d}"


def owner(k: int) -> str:
    return f"U0K{k:05d}"


async def setup(args, r, ctl: SimulatorControl, fake, encryption: str):
    """Keys, jobs and subscriptions; returns (jobs per key, finishing job ids, bytes per sub,
    where the bytes sit)."""
    base = datetime.now(UTC) - timedelta(hours=6)
    key_refs: list[KeyRef] = []
    store = KeyStore(r, Cipher(encryption))
    for k in range(args.keys):
        if k == 0:
            ctl.add_key(TEAM_KEY, user_id="user-team")
            key_refs.append(TEAM)
        else:
            api_key = f"bench-key-{k:04d}"
            ctl.add_key(api_key, user_id=f"user-{k}")
            await store.save(owner(k), LinkedKey(api_key=api_key, account=f"user-{k}"))
            key_refs.append(KeyRef.user(owner(k)))
    per_key = args.jobs // args.keys
    jobs: list[tuple[KeyRef, DataJob]] = []
    print(f"creating {args.jobs} running jobs over {args.keys} keys…", flush=True)
    for k in range(args.keys):
        api_key = TEAM_KEY if k == 0 else f"bench-key-{k:04d}"
        for j in range(per_key):
            raw = ctl.create_job(
                f"ingest batch {k}-{j} of the quarterly filings",
                api_key=api_key,
                status="running",
                created_at=base + timedelta(seconds=k * per_key + j),
            )
            jobs.append((key_refs[k], DataJob.model_validate(raw)))
    with fake.lock:
        for i in range(args.people):
            fake.users[person(i)] = User(person(i), f"person{i}")
        for c in range(args.channels):
            cid = f"C0BENCH{c:03d}"
            fake.channels[cid] = Channel(cid, f"bench-{c}", members={BOT_USER_ID})
    finishing = [job for n, (_ref, job) in enumerate(jobs) if n % (len(jobs) // args.finish) == 0]
    finishing = finishing[: args.finish]
    finish_ids = {j.id for j in finishing}
    subs = SubscriptionStore(r)
    # the scripts are loaded (and a first key made) before memory is read
    warm = Dest.dm("U0WARM")
    await subs.subscribe_job(warm, jobs[0][1], events=DEFAULT_EVENTS, key_ref=TEAM, by="U0WARM")
    await subs.unsubscribe_job(warm, jobs[0][1].id)
    mem0 = (await r.info("memory"))["used_memory"]
    print(f"subscribing {len(jobs) * args.subs_per_job} times…", flush=True)
    n = 0
    for idx, (key_ref, job) in enumerate(jobs):
        for s in range(args.subs_per_job):
            if job.id in finish_ids:
                dest = Dest.channel(f"C0BENCH{(idx + s * 7) % args.channels:03d}")
            else:
                dest = Dest.dm(person((idx * args.subs_per_job + s) % args.people))
            await subs.subscribe_job(
                dest, job, events=DEFAULT_EVENTS, key_ref=key_ref, by=dest.ident
            )
            n += 1
    mem1 = (await r.info("memory"))["used_memory"]
    where = await breakdown(r, jobs[1][1].id, Dest.dm(person(0)), key_refs[1], n)
    return per_key, finishing, (mem1 - mem0) / n, n, where


async def breakdown(r, job_id: str, dest: Dest, key_ref: KeyRef, n: int) -> dict[str, float]:
    """Bytes per subscription in each kind of key (MEMORY USAGE of one, times how many)."""
    counts = Counter()
    sizes: dict[str, list[int]] = {}
    async for name in r.scan_iter(match=keys.NOTIFY + ":*", count=1000):
        kind = name.split(":")[2]
        counts[kind] += 1
        if len(sizes.setdefault(kind, [])) < 20:
            sizes[kind].append(await r.memory_usage(name) or 0)
    return {kind: statistics.median(sizes[kind]) * counts[kind] / n for kind in counts}


def rss_mb(rep: Replica) -> float:
    text = httpx.get(f"http://127.0.0.1:{rep.port}/metrics", timeout=10).text
    for line in text.splitlines():
        if line.startswith("process_resident_memory_bytes "):
            return float(line.split()[1]) / 1e6
    with open(f"/proc/{rep.proc.pid}/status") as f:  # no process collector on this platform
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1000
    return float("nan")


def poll_figures(rep: Replica) -> tuple[float, float]:
    """(SeekrFlow requests made by polls, polls) so far, from a replica's /metrics."""
    text = httpx.get(f"http://127.0.0.1:{rep.port}/metrics", timeout=10).text
    found = {"datajobs_poll_requests_sum": 0.0, "datajobs_poll_requests_count": 0.0}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in found:
            found[name] = float(value)
    return found["datajobs_poll_requests_sum"], found["datajobs_poll_requests_count"]


def api_requests(ctl: SimulatorControl) -> int:
    return sum(1 for q in ctl.requests() if q["path"].startswith("/v1/"))


async def main(args: argparse.Namespace) -> int:
    started = time.monotonic()
    redis_server = RedisServer().start()
    sim = ServerThread(create_app(autoplay=False), log_level="warning").start()
    ctl = SimulatorControl(sim.url)
    ctl.reset()
    slack = start_fake_slack()
    fake = slack.fake
    r = aioredis.Redis.from_url(redis_server.url, decode_responses=True)
    encryption = generate_key()
    folder = log_dir()
    replicas: list[Replica] = []
    try:
        per_key, finishing, per_sub, n, where = await setup(args, r, ctl, fake, encryption)
        sim_env = type("Sim", (), {"api_key": TEAM_KEY, "url": sim.url})
        env = replica_env(
            redis_server.url,
            sim_env,
            slack,
            POLL_INTERVAL=str(args.poll),
            DELIVERY_LEASE="10",
            BOT_ENCRYPTION_KEY=encryption,
            LOG_LEVEL="WARNING",
        )
        print(f"starting {args.replicas} replicas…", flush=True)
        replicas = [Replica(f"r{i}", env, folder).start() for i in range(args.replicas)]
        for rep in replicas:
            rep.wait_healthy(timeout=60)
        # the first cycle learns where each job is; then three steady cycles are counted, by
        # the simulator and by the replicas' own metrics (requests per poll of one key)
        await asyncio.sleep(args.poll * 1.5)
        ctl.clear_requests()
        polls0 = [poll_figures(rep) for rep in replicas]
        await asyncio.sleep(args.poll * 3)
        seen_requests = api_requests(ctl)
        polls1 = [poll_figures(rep) for rep in replicas]
        made = sum(b[0] - a[0] for a, b in zip(polls0, polls1, strict=True))
        polls = sum(b[1] - a[1] for a, b in zip(polls0, polls1, strict=True))
        per_cycle = made / polls * args.keys if polls else float("nan")
        floor = args.keys * min(math.ceil(per_key / 100), per_key)
        rss = [rss_mb(rep) for rep in replicas]

        fake.post_rate = 1.0  # Slack's ~1 message per second per channel
        print(f"finishing {len(finishing)} jobs at once…", flush=True)
        t0 = time.monotonic()
        for job in finishing:
            ctl.set_status(job.id, "completed")
        done_ids = {j.id for j in finishing}

        def ours_in(seen: Counter) -> dict[str, int]:
            return {
                nid: c
                for nid, c in seen.items()
                if nid.split("|")[0] in done_ids and nid.split("|")[1] == "completed"
            }

        want = len(finishing) * args.subs_per_job
        deadline = t0 + args.deadline
        while time.monotonic() < deadline:
            if len(ours_in(delivered_nids(fake))) >= want:
                break
            await asyncio.sleep(0.5)
        elapsed = time.monotonic() - t0
        ours = ours_in(delivered_nids(fake))
        twice = [nid for nid, c in ours.items() if c > 1]
        posts = [c for c in fake.calls("chat.postMessage") if c.status == 200]
        limited = [c for c in fake.calls("chat.postMessage") if c.status == 429]
        rss_after = [rss_mb(rep) for rep in replicas]

        print()
        print(
            f"subscriptions: {n} over {args.jobs} watched jobs, {args.keys} keys "
            f"({args.keys - 1} personal + the team key), {args.people} DMs and "
            f"{args.channels} channels; {args.replicas} replicas on one Redis"
        )
        verdict = "ok" if per_sub <= TARGETS["redis_bytes_per_sub"] else "MISSED"
        print(
            f"Redis bytes per subscription: {per_sub:.0f} (target ≤ "
            f"{TARGETS['redis_bytes_per_sub']}: {verdict}); where they sit: "
            + ", ".join(f"{k} {v:.0f}" for k, v in sorted(where.items(), key=lambda kv: -kv[1]))
        )
        print(
            "RSS per replica (MB), steady / after the burst: "
            + ", ".join(f"{a:.0f} / {b:.0f}" for a, b in zip(rss, rss_after, strict=True))
            + f" (target ≤ {TARGETS['rss_mb']}: "
            + ("ok" if max(rss + rss_after) <= TARGETS["rss_mb"] else "MISSED")
            + ")"
        )
        print(
            f"SeekrFlow requests per poll cycle: {per_cycle:.1f} ({made} requests in {polls:.0f} "
            f"polls of one key; the simulator saw {seen_requests} in 3 intervals) — floor "
            f"{floor}: {per_cycle / floor:.2f}× floor; one GET per job would be {args.jobs}"
        )
        print(
            f"{len(finishing)} jobs finished: {len(ours)}/{want} notifications delivered in "
            f"{elapsed:.1f} s = {len(ours) / elapsed:.0f} notifications/s, in {len(posts)} "
            f"messages to {args.channels} channels ({len(posts) / elapsed / args.channels:.2f} "
            f"messages/s per channel); {len(limited)} answered 429; delivered twice: {len(twice)}"
        )
        print(
            f"  one message per notification, at Slack's 1 per second per channel, could not "
            f"beat {args.channels} notifications/s ({want / args.channels:.0f} s for these): "
            f"{len(ours) / elapsed / args.channels:.2f}× that, the wait for the next poll "
            f"(up to {args.poll:g} s) included"
        )
        print(f"total run: {time.monotonic() - started:.0f} s")
        return 0 if len(ours) == want and not twice else 1
    finally:
        for rep in replicas:
            rep.kill()
        await r.aclose()
        ctl.close()
        sim.stop()
        slack.server.stop()
        redis_server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--jobs", type=int, default=2000)
    p.add_argument("--keys", type=int, default=200)
    p.add_argument("--subs-per-job", type=int, default=5)
    p.add_argument("--people", type=int, default=150)
    p.add_argument("--channels", type=int, default=50)
    p.add_argument("--finish", type=int, default=500)
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--poll", type=float, default=5.0)
    p.add_argument("--deadline", type=float, default=300.0, help="seconds the burst may take")
    raise SystemExit(asyncio.run(main(p.parse_args())))
