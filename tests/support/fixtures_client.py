"""Fixtures for the SeekrFlow client tests: an HTTP pool, scripted servers, a client factory."""

from __future__ import annotations

import httpx
import pytest

from bot.seekrflow import RetryPolicy, SeekrFlow
from sandbox.harness.ports import refusing_socket

from .scripted_server import DroppingServer, ScriptedServer

API_KEY = "sk-test-9f8e7d6c5b4a"
# Fast but real backoff for tests: same shape as the default policy.
FAST = RetryPolicy(attempts=3, base=0.05, cap=0.2, budget=5.0)


@pytest.fixture
async def http_pool():
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def scripted():
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dropping():
    server = DroppingServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def closed_url():
    """A loopback URL where nothing listens (connection refused) for the whole test."""
    sock = refusing_socket()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture
def make_client(http_pool):
    def make(
        base_url: str, *, api_key: str = API_KEY, retry: RetryPolicy | None = FAST, **kw
    ) -> SeekrFlow:
        return SeekrFlow(http_pool, base_url=base_url, api_key=api_key, retry=retry, **kw)

    return make
