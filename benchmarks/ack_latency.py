"""Time-to-ack of /datajobs under a slow SeekrFlow, beside a bare Bolt app that only acks.

    python benchmarks/ack_latency.py [--requests 200] [--runs 5] [--concurrency 10] [--latency 2.5]

Starts (all on 127.0.0.1): the SeekrFlow simulator answering every API call in
``--latency`` seconds, a fake Slack Web API, a private redis-server, the bot
(``python -m bot``, HTTP mode) and a bare Bolt app (same FastAPI + Bolt adapter,
a /datajobs listener that only acks), each server in its own process. Then it
sends the same signed ``/datajobs list`` / ``inspect <id>`` requests to both,
alternating rounds, half one at a time and half in concurrent bursts, and
prints p50/p99 time-to-ack for each and the bot/bare ratio.
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

from benchmarks.common import wait_http

ROOT = Path(__file__).resolve().parent.parent

SECRET = "bench-signing-secret"


def serve_bare(port: int, api_url: str) -> None:
    """The baseline: the same web stack, and a listener that only acks."""
    import uvicorn
    from fastapi import FastAPI
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from sandbox.playground.world import DEFAULT_BOT_TOKEN

    app = AsyncApp(
        client=AsyncWebClient(token=DEFAULT_BOT_TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=False,
    )

    @app.command("/datajobs")
    async def only_ack(ack):
        await ack(text="Working on it…")

    handler = AsyncSlackRequestHandler(app)
    api = FastAPI()

    async def events(request):
        return await handler.handle(request)

    api.add_route("/slack/events", events, methods=["POST"])

    uvicorn.run(api, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _spawn(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def fire(
    client: httpx.AsyncClient,
    urls: dict[str, str],
    texts: list[str],
    fake,
    concurrent: int,
    deadline: float,
) -> dict[str, list[float]]:
    """Send ``texts`` to every app, step by step and alternating which goes first, so
    all apps meet the same moment's machine load: half the steps are one request,
    half are bursts of ``concurrent`` requests."""
    from sandbox.playground.requests import FORM, slash_command_body
    from sandbox.playground.signing import sign

    async def one(url: str, text: str) -> float:
        body = slash_command_body(
            text,
            user_id="U0ALICE",
            channel_id="C0DATAJOBS",
            response_url=fake.new_response_url("C0DATAJOBS"),
            trigger_id=fake.new_trigger_id(),
        )
        headers = {"Content-Type": FORM, **sign(SECRET, body)}
        start = time.perf_counter()
        response = await client.post(url, content=body, headers=headers)
        elapsed = time.perf_counter() - start
        if response.status_code != 200 or "unhandled" in response.text:
            raise RuntimeError(f"not acknowledged: {response.status_code} {response.text[:100]}")
        return elapsed

    half = len(texts) // 2
    steps = [texts[i : i + 1] for i in range(half)]
    steps += [texts[i : i + concurrent] for i in range(half, len(texts), concurrent)]
    times: dict[str, list[float]] = {name: [] for name in urls}
    for n, step in enumerate(steps):
        if time.monotonic() > deadline:
            break
        order = list(urls.items())
        for name, url in order if n % 2 == 0 else reversed(order):
            times[name] += await asyncio.gather(*(one(url, t) for t in step))
            await asyncio.sleep(0.02)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per app and run (bounded)")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--latency", type=float, default=2.5, help="SeekrFlow latency, seconds")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per run")
    parser.add_argument("--runs", type=int, default=5, help="the ratio's median is over runs")
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--serve-bare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare, args.api_url)
        return 0
    args.requests = max(2, min(args.requests, 2000))
    args.runs = max(1, min(args.runs, 20))

    from sandbox.harness.ports import free_port
    from sandbox.harness.redis_server import RedisServer
    from sandbox.playground import FakeSlack, create_slack_app
    from sandbox.playground.world import DEFAULT_BOT_TOKEN
    from sandbox.server_thread import ServerThread
    from sandbox.simulator.control import SimulatorControl

    fake = FakeSlack()
    slack = ServerThread(create_slack_app(fake), log_level="warning").start()
    fake.base_url = slack.url
    api_url = slack.url + "/api/"
    redis = RedisServer().start()
    sim_port, bot_port, bare_port = free_port(), free_port(), free_port()
    procs = [
        _spawn(["-m", "sandbox", "simulator", "--port", str(sim_port)]),
        _spawn(
            ["-m", "bot"],
            env={
                "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": api_url,
                "SEEKR_API_KEY": "sim-key",
                "SEEKR_BASE_URL": f"http://127.0.0.1:{sim_port}",
                "REDIS_URL": redis.url,
                "HOST": "127.0.0.1",
                "PORT": str(bot_port),
                "LOG_LEVEL": "WARNING",
                "SEEKR_TIMEOUT": "10",
                "OPERATORS": "U0ALICE",
            },
        ),
        _spawn([__file__, "--serve-bare", str(bare_port), "--api-url", api_url]),
    ]
    try:
        wait_http(f"http://127.0.0.1:{sim_port}/_sim/clock")
        wait_http(f"http://127.0.0.1:{bot_port}/healthz")
        wait_http(f"http://127.0.0.1:{bare_port}/slack/events")
        control = SimulatorControl(f"http://127.0.0.1:{sim_port}")
        job_ids = [
            j["id"]
            for j in httpx.get(
                f"http://127.0.0.1:{sim_port}/v1/flow/data-jobs",
                headers={"Authorization": "sim-key"},
            ).json()["data"]
        ]
        control.set_latency(args.latency)
        texts = [
            ("list" if i % 2 else f"inspect {job_ids[i % len(job_ids)]}")
            for i in range(args.requests // args.rounds)
        ]
        urls = {
            "bot": f"http://127.0.0.1:{bot_port}/slack/events",
            "bare": f"http://127.0.0.1:{bare_port}/slack/events",
        }
        deadline = time.monotonic() + args.max_seconds
        runs: list[dict[str, list[float]]] = []

        async def run() -> None:
            limits = httpx.Limits(max_connections=args.concurrency * 2)
            async with httpx.AsyncClient(timeout=10, limits=limits) as client:
                await fire(client, urls, ["help"] * 4, fake, 2, deadline)  # warm up
                for _ in range(args.runs):
                    results: dict[str, list[float]] = {"bot": [], "bare": []}
                    for _ in range(args.rounds):
                        for name, values in (
                            await fire(client, urls, texts, fake, args.concurrency, deadline)
                        ).items():
                            results[name] += values
                    runs.append(results)

        asyncio.run(run())
        control.set_latency(0)
        print(
            f"ack latency, SeekrFlow answering in {args.latency:g} s; {args.runs} runs of "
            f"{len(runs[0]['bot'])} requests per app (list + inspect, half one at a time, "
            f"half in bursts of {args.concurrency})"
        )
        print(
            f"{'run':<5}{'app':<6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}"
            f"{'p50 ratio':>12}{'p99 ratio':>12}"
        )
        ratios = []
        for n, results in enumerate(runs, 1):
            p50 = pct(results["bot"], 50) / pct(results["bare"], 50)
            p99 = pct(results["bot"], 99) / pct(results["bare"], 99)
            ratios.append((p50, p99))
            for name, values in results.items():
                extra = f"{p50:>11.2f}x{p99:>11.2f}x" if name == "bot" else ""
                print(
                    f"{n:<5}{name:<6}{pct(values, 50) * 1000:>10.1f}"
                    f"{pct(values, 99) * 1000:>10.1f}{max(values) * 1000:>10.1f}{extra}"
                )
        print(
            f"median over runs, bot/bare: p50 {statistics.median(r[0] for r in ratios):.2f}x  "
            f"p99 {statistics.median(r[1] for r in ratios):.2f}x  (target p99 <= 1.5x)"
        )
        return 0
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        slack.stop()
        redis.cleanup()


if __name__ == "__main__":
    sys.exit(main())
