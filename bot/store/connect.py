"""Every Redis client the bot makes, built here: answers decoded to ``str``.

``request_client`` serves Slack requests and one-off commands (a short socket
timeout; a failure is shown to the person). ``watcher_client`` is the watcher's own: a command that
meets a dropped connection (Redis restarted, failed over) is sent again after a
short jittered wait, which is safe because every watcher script is idempotent or
fenced. Its reads block for 1 s, well under the 5 s socket timeout.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError, TimeoutError

from bot.settings import Settings

AnyRedis = Redis | RedisCluster


def request_client(settings: Settings) -> AnyRedis:
    kind = RedisCluster if settings.redis_cluster else Redis
    return kind.from_url(
        settings.redis_url, socket_timeout=5, socket_connect_timeout=3, decode_responses=True
    )


def watcher_client(settings: Settings) -> AnyRedis:
    retry = Retry(
        ExponentialWithJitterBackoff(base=0.05, cap=1.0),
        8,
        supported_errors=(ConnectionError, TimeoutError),
    )
    common = {
        "socket_timeout": 5,
        "socket_connect_timeout": 3,
        "retry": retry,
        "decode_responses": True,
    }
    if settings.redis_cluster:
        return RedisCluster.from_url(settings.redis_url, **common)
    return Redis.from_url(
        settings.redis_url,
        health_check_interval=10,
        retry_on_error=[ConnectionError, TimeoutError],
        **common,
    )
