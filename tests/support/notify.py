"""A running watcher (poll + delivery loops) wired to the simulator, fake Slack and Redis."""

from __future__ import annotations

import asyncio
import time

from sandbox.harness.watching import (
    WatcherHarness,
    delivered_nids,
    running_watcher,
    watcher_settings,
)

__all__ = ["WatcherHarness", "delivered_nids", "eventually", "running_watcher", "watcher_settings"]


async def eventually(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Wait until ``predicate()`` is truthy (sync or async); return its value or fail."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def settle(seconds: float) -> None:
    """Let the loops run for a while (used before asserting that nothing more happened)."""
    await asyncio.sleep(seconds)
