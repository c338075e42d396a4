"""What deciding who acts costs per Slack request: personal key vs team key vs a bare Redis GET.

    python benchmarks/access_cost.py [--calls 3000] [--users 200]

Starts a private redis-server on 127.0.0.1, links ``--users`` encrypted keys,
then times ``Access``-style decisions made the way every handler makes them:
``identities.identify(user)`` + ``client(...)`` for a person with a linked
key (Redis HGET + Fernet decrypt), for a team-key operator, and for a
team-key non-operator refused by ``writer`` rules. The baseline, measured in
the same run, is one plain Redis GET (the floor of any Redis-backed lookup).
Prints the median and p99 per call in microseconds and the ratio to the
baseline. No SeekrFlow or Slack call is made.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from benchmarks.common import pct


async def timed(fn, calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        t0 = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t0) * 1e6)
    return out


async def run(calls: int, users: int, redis_url: str) -> None:
    import httpx
    from pydantic import SecretStr
    from redis.asyncio import Redis

    from bot.services.access import Access
    from bot.services.operators import Operators
    from bot.store import Audit, Cipher, KeyState, KeyStore, LinkedKey, generate_key
    from bot.values import Change

    redis = Redis.from_url(redis_url, decode_responses=True)
    http = httpx.AsyncClient()
    store = KeyStore(redis, Cipher(f"{generate_key()},{generate_key()}"))
    for i in range(users):
        await store.save(f"U{i:05d}", LinkedKey(api_key=f"sk-bench-{i:05d}-" + "x" * 40))
    ids = Access(
        keystore=store,
        key_state=KeyState(redis),
        operators=Operators(["UOPS"], None),
        audit=Audit(redis),
        http=http,
        base_url="http://127.0.0.1:9",
        team_key=SecretStr("sk-team"),
        team_id=None,
    )
    await redis.set("bench:plain", "x")

    async def baseline():
        await redis.get("bench:plain")

    async def personal():
        ident = await ids.identity("U00042")
        ids.client(ident)

    async def operator():
        ident = await ids.identity("UOPS")
        assert ident.may(Change.CANCEL)
        ids.client(ident)

    async def refused():
        ident = await ids.identity("UNOBODY")
        assert not ident.may(Change.CANCEL)

    for fn in (baseline, personal, operator, refused):  # warm up
        await timed(fn, 50)
    rows = [
        (name, await timed(fn, calls))
        for name, fn in (
            ("redis GET (baseline)", baseline),
            ("personal key", personal),
            ("team key, operator", operator),
            ("team key, refused", refused),
        )
    ]
    base = statistics.median(rows[0][1])
    print(f"{calls} calls each, {users} linked keys, one redis-server on loopback")
    print(f"{'decision':24} {'p50 µs':>9} {'p99 µs':>9} {'p50 / baseline':>15}")
    for name, values in rows:
        med = statistics.median(values)
        print(f"{name:24} {med:9.0f} {pct(values, 0.99):9.0f} {med / base:15.2f}")
    await http.aclose()
    await redis.aclose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    from sandbox.harness.redis_server import RedisServer

    server = RedisServer().start()
    try:
        asyncio.run(run(args.calls, args.users, server.url))
    finally:
        server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
