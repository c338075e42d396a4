"""The watcher: polls SeekrFlow per key and delivers job notifications to Slack."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError, TimeoutError
from slack_sdk.web.async_client import AsyncWebClient

from bot.seekrflow import SeekrFlow
from bot.settings import Settings

from .poller import KeyResolver, Poller
from .service import Watcher, slack_timeout

__all__ = ["KeyResolver", "Poller", "Watcher", "attach_watcher", "build_watcher", "team_resolver",
           "watcher_redis"]


def team_resolver(settings: Settings, http: httpx.AsyncClient) -> KeyResolver:
    """Every key_ref polls with the team key (SEEKR_API_KEY)."""
    async def resolve(key_ref: str) -> SeekrFlow:
        if settings.seekr_api_key is None:
            raise LookupError("SEEKR_API_KEY is not set")
        return SeekrFlow(http, base_url=settings.seekr_base_url,
                         api_key=settings.seekr_api_key.get_secret_value(),
                         team_id=settings.seekr_team_id)
    return resolve


def build_watcher(settings: Settings, redis: Redis, http: httpx.AsyncClient, *,
                  resolve: KeyResolver | None = None, replica: str | None = None) -> Watcher:
    """A watcher with its own Slack client: no automatic retries (a retried post could land
    twice; 429s are re-scheduled per channel instead) and a timeout inside the delivery lease."""
    lease = settings.delivery_lease
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    slack = AsyncWebClient(token=token, base_url=settings.slack_api_url,
                           timeout=slack_timeout(lease), retry_handlers=[])
    return Watcher(redis, slack, resolve or team_resolver(settings, http),
                   poll_interval=settings.poll_interval, delivery_lease=lease, replica=replica)


async def attach_watcher(deps) -> Watcher:
    """Start the watcher for a running bot: polls with each subscription's key (through
    ``deps.access``), reports to ``/healthz``, and stops with the app (SIGTERM)."""
    # pauses a key_ref whose key is gone or rejected, and tells its targets once
    resolve = getattr(deps.access, "key_resolver", None)
    redis = watcher_redis(deps.settings)
    deps.closers.append(redis.aclose)
    watcher = build_watcher(deps.settings, redis, deps.http, resolve=resolve)
    await watcher.start()
    deps.health_checks.append(watcher.health)
    deps.closers.append(watcher.stop)
    return watcher


def watcher_redis(settings: Settings) -> Redis | RedisCluster:
    """The watcher's own Redis client: a command that meets a dropped connection (Redis restarted,
    failed over) is sent again after a short jittered wait. Safe because every watcher script is
    idempotent or fenced. Reads block for 1 s, well under the 5 s socket timeout."""
    retry = Retry(ExponentialWithJitterBackoff(base=0.05, cap=1.0), 8,
                  supported_errors=(ConnectionError, TimeoutError))
    common = {"socket_timeout": 5, "socket_connect_timeout": 3, "retry": retry}
    if settings.redis_cluster:
        return RedisCluster.from_url(settings.redis_url, **common)
    return Redis.from_url(settings.redis_url, health_check_interval=10,
                          retry_on_error=[ConnectionError, TimeoutError], **common)
