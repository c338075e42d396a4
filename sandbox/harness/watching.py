"""A watcher running against the simulator and the fake Slack, and what it delivered."""

from __future__ import annotations

from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster

from bot.seekrflow import SeekrFlow
from bot.settings import load_settings
from bot.store import SubscriptionStore
from bot.watcher import Watcher, build_watcher
from sandbox.playground.world import DEFAULT_BOT_TOKEN


@dataclass
class WatcherHarness:
    watcher: Watcher
    subs: SubscriptionStore
    client: SeekrFlow
    redis: aioredis.Redis


def watcher_settings(redis_url, simulator, fake_slack, **over):
    values = {
        "redis_url": redis_url,
        "slack_bot_token": DEFAULT_BOT_TOKEN,
        "slack_api_url": fake_slack.api_url,
        "seekr_api_key": simulator.api_key,
        "seekr_base_url": simulator.url,
        "poll_interval": 0.3,
        "delivery_lease": 4.0,
    }
    values.update(over)
    return load_settings(**values)


@asynccontextmanager
async def running_watcher(
    redis_url, simulator, fake_slack, *, start=True, cluster=False, digest_min=3, **over
):
    """``cluster``: ``redis_url`` is a node of a Redis Cluster; use a cluster client.
    ``digest_min``: how many queued notifications make a digest (a huge one: never)."""
    settings = watcher_settings(redis_url, simulator, fake_slack, **over)
    redis = (
        RedisCluster.from_url(redis_url, decode_responses=True)
        if cluster
        else aioredis.Redis.from_url(redis_url, decode_responses=True)
    )
    http = httpx.AsyncClient()
    watcher = build_watcher(settings, redis, http, digest_min=digest_min)
    client = SeekrFlow(
        http, base_url=simulator.url, api_key=settings.seekr_api_key.get_secret_value()
    )
    if start:
        await watcher.start()
    try:
        yield WatcherHarness(watcher, SubscriptionStore(redis), client, redis)
    finally:
        if start:
            await watcher.stop()
        await http.aclose()
        await redis.aclose()


def delivered_nids(fake) -> Counter:
    """How often each notification id appears in the fake Slack's messages (their metadata)."""
    seen: Counter = Counter()
    for msgs in fake.all_messages().values():
        for m in msgs:
            meta = m.get("metadata") or {}
            if meta.get("event_type") == "datajob_notification":
                seen.update(meta["event_payload"]["nids"])
    return seen
