"""Shared fixtures: a private redis-server per session, servers on loopback ports.

A plain ``python -m pytest`` is the quick day-to-day run: tests marked ``slow`` (real
processes, package installs, long fault runs) and ``browser`` (headless Chromium) are
skipped. ``python -m pytest --full`` runs everything; ``bash .ci/run`` does that.
"""

from __future__ import annotations

import pytest

from sandbox.harness.redis_server import RedisServer

QUICK_SKIPS = {
    "slow": "slow: real processes, installs or long fault runs (run with --full)",
    "browser": "browser: drives headless Chromium (run with --full)",
}


def pytest_addoption(parser):
    parser.addoption(
        "--full", action="store_true", help="also run the slow and browser tests, as CI does"
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts real processes or installs packages (bounded to a few minutes)"
    )
    config.addinivalue_line("markers", "browser: drives the playground in headless Chromium")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--full"):
        return
    for item in items:
        for marker, reason in QUICK_SKIPS.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))
                break


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
