"""Shared fixtures: a private redis-server per session, servers on loopback ports."""

from __future__ import annotations

import pytest

from tests.support.redis_server import RedisServer

pytest_plugins = [
    "tests.support.fixtures_sim",
    "tests.support.fixtures_slack",
    "tests.support.fixtures_bot",
    "tests.support.fixtures_client",
    "tests.support.redis_cluster",
]


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def redis_url(redis_server):
    """A clean database on the session's redis-server."""
    import redis

    r = redis.Redis.from_url(redis_server.url)
    r.flushall()
    r.close()
    return redis_server.url
