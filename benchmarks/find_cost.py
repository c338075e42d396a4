"""What naming a job without its id, and filtering the list, costs in SeekrFlow requests and time.

    python benchmarks/find_cost.py [--jobs 1000] [--runs 15]

Starts (on 127.0.0.1) the SeekrFlow simulator (clock paused) with one key holding ``--jobs``
jobs (a tenth of them failed, spread evenly). Then, ``--runs`` times each, measures from the
simulator's request log and the wall clock:

- reading a job named by its id (the baseline: one GET, no lookup), by an id prefix, by its
  exact name and by a part of its name, for a job near the top of the list and the oldest one
  (with exactly 1,000 jobs the lookup reaches its bound: a part of a name is then only shown,
  not used);
- ``list`` (the baseline: SeekrFlow pages itself), ``list status:failed`` and ``list name:``,
  first page and a page deep in the matches.

Prints the requests per operation and the median time, and each as a ratio to its baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx

from bot.payloads import ListState, status_mask
from bot.refs import Reference, RefKind
from bot.seekrflow import SeekrFlow
from bot.services.finding import Ambiguous, NoSuchJob, find_job
from bot.services.jobs import fetch_page
from sandbox.server_thread import ServerThread
from sandbox.simulator import create_app
from sandbox.simulator.control import SimulatorControl

KEY = "bench-find-key"


def sim_requests(ctl: SimulatorControl) -> int:
    return sum(1 for r in ctl.requests() if r["path"].startswith("/v1/"))


async def measure(ctl: SimulatorControl, runs: int, op) -> tuple[int, float]:
    """(requests per run, median milliseconds) of ``op``."""
    times, counts = [], []
    for _ in range(runs):
        ctl.clear_requests()
        t0 = time.perf_counter()
        await op()
        times.append((time.perf_counter() - t0) * 1000)
        counts.append(sim_requests(ctl))
    return max(counts), statistics.median(times)


def row(label: str, figures: tuple[int, float], base: tuple[int, float]) -> None:
    reqs, ms = figures
    ratio = ms / base[1] if base[1] else float("nan")
    print(f"  {label:<44} {reqs:>4} req  {ms:8.1f} ms median  ×{ratio:6.1f} of the baseline")


async def main(args: argparse.Namespace) -> None:
    sim = ServerThread(create_app(autoplay=False), log_level="warning").start()
    ctl = SimulatorControl(sim.url)
    http = httpx.AsyncClient(timeout=30)
    try:
        ctl.add_key(KEY, user_id="user-bench-find")
        base = datetime.now(UTC) - timedelta(days=30)
        print(f"creating {args.jobs} jobs…", flush=True)
        made = []
        for i in range(args.jobs):  # oldest first
            status = "failed" if i % 10 == 0 else "completed"
            made.append(ctl.create_job(f"Batch {i:05d} export", api_key=KEY, status=status,
                                       created_at=base + timedelta(minutes=i)))  # fmt: skip
        newest, oldest = made[-3], made[0]
        seekr = SeekrFlow(http, base_url=sim.url, api_key=KEY)

        def find(kind: RefKind, text: str):
            async def op():  # what `inspect <job>` reads: the lookup, then the job
                try:
                    await seekr.get_job(await find_job(seekr, Reference(kind, text)))
                except (Ambiguous, NoSuchJob) as exc:
                    outcomes.append(type(exc).__name__)

            return op

        outcomes: list[str] = []
        print(f"\nnaming a job and reading it ({args.jobs} jobs, {args.runs} runs each)")
        by_id = await measure(ctl, args.runs, find(RefKind.ID, newest["id"]))
        row("by id (baseline: one GET)", by_id, by_id)
        for label, job in (("newest", newest), ("oldest", oldest)):
            prefix = job["id"][:11]
            part = job["name"].split()[1]  # "00042": a part of one name only
            prefixed = await measure(ctl, args.runs, find(RefKind.PREFIX, prefix))
            row(f"by id prefix, {label}", prefixed, by_id)
            exact = await measure(ctl, args.runs, find(RefKind.NAME, job["name"].upper()))
            row(f"by exact name, {label}", exact, by_id)
            row(f"by a part of the name, {label}",
                await measure(ctl, args.runs, find(RefKind.NAME, part)), by_id)  # fmt: skip
            if outcomes:
                print(f"    (not one job: {outcomes[-1]}, {len(outcomes)} of {args.runs} runs)")
                outcomes.clear()

        print("\nlisting (10 a page)")
        plain = await measure(ctl, args.runs, lambda: fetch_page(seekr, ListState()))
        row("list, first page (baseline)", plain, plain)
        failed = status_mask(["failed"])
        for label, state in (
            ("list status:failed, first page", ListState(status_bits=failed)),
            ("list status:failed, page 5", ListState(status_bits=failed, offset=40)),
            ("list name:0004, first page", ListState(name="0004")),
            ("list status:failed limit:100", ListState(status_bits=failed, limit=100)),
        ):
            row(label, await measure(ctl, args.runs, lambda s=state: fetch_page(seekr, s)), plain)
        page = await fetch_page(seekr, ListState(status_bits=failed, offset=40))
        print(f"\n  status:failed page 5: {len(page.jobs)} jobs, more: {page.has_more}, "
              f"read {page.looked} jobs")  # fmt: skip
    finally:
        await http.aclose()
        ctl.close()
        sim.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    asyncio.run(main(parser.parse_args()))
