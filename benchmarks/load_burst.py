"""200 slash commands at once from 200 people: acks and answers, then the same with SeekrFlow
answering 429 to everything.

    python benchmarks/load_burst.py [--people 200] [--retry-after 7]

Starts on 127.0.0.1: the SeekrFlow simulator and the bot (``python -m bot``, HTTP mode),
each in its own process, a fake Slack Web API in this one, and a private redis-server. Then
two bursts of signed ``/datajobs list``, every request sent at once:
1. SeekrFlow healthy: time to ack (p50 / p99 / max), how many acks came within Slack's
   3 s, how many people got their list, and when the last one did;
2. SeekrFlow answering 429 (Retry-After N) to every call: the same figures, and how many
   people were told when to try again (rather than nothing at all).
Bounded: two bursts, each waited on for at most ``--wait`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.common import pct, wait_http
from sandbox.harness.ports import free_port
from sandbox.harness.redis_server import RedisServer
from sandbox.playground import FakeSlack, create_slack_app
from sandbox.playground.requests import FORM, slash_command_body
from sandbox.playground.signing import sign
from sandbox.playground.world import DEFAULT_BOT_TOKEN
from sandbox.server_thread import ServerThread
from sandbox.simulator.control import SimulatorControl

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret"
ACK_LIMIT_S = 3.0


async def burst(url: str, fake: FakeSlack, people: int, wait: float) -> dict:
    requests = []
    for i in range(people):
        user = f"U{i:06d}"
        response_url = fake.new_response_url("C0DATAJOBS", user)
        body = slash_command_body("list", user_id=user, channel_id="C0DATAJOBS",
                                  response_url=response_url,
                                  trigger_id=fake.new_trigger_id(user))  # fmt: skip
        requests.append((response_url, body))
    limits = httpx.Limits(max_connections=people, max_keepalive_connections=people)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        start = time.perf_counter()

        async def one(body: bytes) -> float:
            r = await client.post(url, content=body, headers={"Content-Type": FORM,
                                                              **sign(SECRET, body)})  # fmt: skip
            assert r.status_code == 200, r.status_code
            return time.perf_counter() - start

        acks = await asyncio.gather(*(one(body) for _, body in requests))
    answered: dict[str, float] = {}
    deadline = time.monotonic() + wait
    while len(answered) < people and time.monotonic() < deadline:
        for response_url, _ in requests:
            if response_url not in answered:
                posts = [p for p in fake.response_url_posts(response_url)
                         if "Fetching" not in str(p["body"].get("text"))]  # fmt: skip
                if posts:
                    answered[response_url] = time.perf_counter() - start
        await asyncio.sleep(0.2)
    texts = [
        str(fake.response_url_posts(u)[-1]["body"].get("text"))
        for u, _ in requests
        if u in answered
    ]
    return {
        "acks": acks,
        "answered": len(answered),
        "last_answer_s": max(answered.values(), default=float("nan")),
        "told_when": sum("try again in" in t for t in texts),
    }


def report(name: str, people: int, r: dict) -> None:
    acks = r["acks"]
    within = sum(a <= ACK_LIMIT_S for a in acks)
    print(f"{name}:")
    print(f"  ack p50 {statistics.median(acks):.3f} s · p99 {pct(acks, 0.99):.3f} s · "
          f"max {max(acks):.3f} s · within {ACK_LIMIT_S:g} s: {within}/{people}")  # fmt: skip
    print(f"  answered {r['answered']}/{people}, the last {r['last_answer_s']:.1f} s after the "
          f"burst began; told when to try again: {r['told_when']}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--retry-after", type=int, default=7)
    parser.add_argument("--wait", type=float, default=60.0)
    args = parser.parse_args()
    people = max(1, min(args.people, 500))

    fake = FakeSlack()
    slack = ServerThread(create_slack_app(fake), log_level="warning").start()
    fake.base_url = slack.url
    redis = RedisServer().start()
    sim_port, bot_port = free_port(), free_port()
    env = {
        "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url + "/api/",
        "SEEKR_API_KEY": "sim-key",
        "SEEKR_BASE_URL": f"http://127.0.0.1:{sim_port}",
        "REDIS_URL": redis.url,
        "HOST": "127.0.0.1",
        "PORT": str(bot_port),
        "LOG_LEVEL": "WARNING",
    }
    procs = [
        subprocess.Popen([sys.executable, "-m", "sandbox", "simulator", "--port", str(sim_port)],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env={**os.environ, **env},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{sim_port}/_sim/clock")
        wait_http(f"http://127.0.0.1:{bot_port}/healthz")
        control = SimulatorControl(f"http://127.0.0.1:{sim_port}")
        url = f"http://127.0.0.1:{bot_port}/slack/events"
        print(f"{people} signed /datajobs list at once, from {people} people, over loopback")
        report("SeekrFlow healthy", people, asyncio.run(burst(url, fake, people, args.wait)))
        control.add_fault(429, retry_after=args.retry_after)
        busy = asyncio.run(burst(url, fake, people, args.wait))
        report(f"SeekrFlow answering 429 (Retry-After {args.retry_after})", people, busy)
    finally:
        for proc in procs:  # only the processes started here, by pid
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        redis.cleanup()
        slack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
