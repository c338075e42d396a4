"""The watcher service: supervised poll, delivery and upkeep loops for one bot process.

Every replica runs all loops; Redis leases decide who polls which key and who
delivers to which target. One failing iteration is logged and the loop goes
on; each loop beats, and the process writes a heartbeat key that ``/healthz``
reports. ``stop()`` (on SIGTERM, via the web app's lifespan) lets in-flight
deliveries finish, then ends the loops.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time

from redis.exceptions import ResponseError
from slack_sdk.web.async_client import AsyncWebClient

from bot import logs
from bot.store import NotifyState, keys
from bot.store.connect import AnyRedis
from bot.values import Dest

from .delivery import Delivery
from .poller import KeyResolver, Poller
from .progress import LiveProgress
from .restore import RestoreGuard
from .schedules import Schedules

logger = logging.getLogger(__name__)

BLOCK_MS = 1000  # XREADGROUP BLOCK: well under the Redis client's socket timeout
HEARTBEAT_EVERY = 2.0
HEARTBEAT_TTL_MS = 15_000
SCHEDULE_EVERY = 1.0  # snoozes that end, daily summaries that come due


class Watcher:
    def __init__(
        self,
        redis: AnyRedis,
        slack: AsyncWebClient,
        resolve: KeyResolver,
        *,
        poll_interval: float,
        delivery_lease: float = 30.0,
        replica: str | None = None,
        digest_min: int = 3,
        deliver_concurrency: int = 16,
        review_reminder: float = 4 * 3600.0,
    ):
        self.replica = replica or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.state = NotifyState(redis)
        self.poll_interval = poll_interval
        self.lease = delivery_lease
        # short poll lease, extended every third of it while a poll runs: a replica that dies
        # mid-poll holds its key back for at most this long
        self.progress = LiveProgress(self.state, slack)
        self.poller = Poller(
            self.state,
            resolve,
            interval=poll_interval,
            lease=max(3.0, 2 * poll_interval),
            after_poll=self.progress.after_poll,
            review_reminder_ms=int(review_reminder * 1000),
        )
        self.schedules = Schedules(self.state, slack)
        self.restore = RestoreGuard(slack)
        self.delivery = Delivery(
            self.state,
            slack,
            guard=self.restore,
            consumer=self.replica,
            lease=delivery_lease,
            http_timeout=slack_timeout(delivery_lease),
            digest_min=digest_min,
        )
        self._sem = asyncio.Semaphore(deliver_concurrency)
        self._inflight: set[asyncio.Task] = set()
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self.beats: dict[str, float] = {}
        self._last = {"claim": 0.0, "trim": 0.0, "hb": 0.0, "sched": 0.0}

    # --- lifecycle ---------------------------------------------------------------
    async def start(self) -> None:
        await self.state.ensure_group()
        await self.state.r.set(keys.epoch(), secrets.token_hex(8), nx=True)
        # before any post: notices a state gone back in time while every replica was down
        await self._beat()
        tick = min(0.25, self.poll_interval / 8)
        self._tasks = [
            asyncio.create_task(self._supervise("poll", self._poll_step, tick)),
            asyncio.create_task(self._supervise("deliver", self._deliver_step, 0)),
            asyncio.create_task(self._supervise("upkeep", self._upkeep_step, 0.2)),
        ]
        logger.info("watcher %s started (poll every %.1fs)", self.replica, self.poll_interval)

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop reading new work at once; let deliveries and polls in flight finish (bounded)."""
        self._stop.set()
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        pending = [*self._inflight, *self.poller._running, *self.progress._tasks]
        if pending:
            _done, left = await asyncio.wait(pending, timeout=timeout)
            for t in left:
                t.cancel()
            await asyncio.gather(*left, return_exceptions=True)
        try:
            await self.state.r.delete(keys.heartbeat(self.replica))
        except Exception as exc:  # noqa: BLE001 - the key expires by itself
            logger.info("heartbeat not removed (%s)", type(exc).__name__)
        logger.info("watcher %s stopped", self.replica)

    def healthy(self, now: float | None = None) -> bool:
        """Every loop has completed an iteration recently."""
        now = time.monotonic() if now is None else now
        limit = max(10.0, 3 * self.poll_interval)
        return (
            len(self.beats) == 3
            and not self._stop.is_set()
            and all(now - t < limit for t in self.beats.values())
        )

    async def health(self) -> dict:
        """Facts for ``/healthz``: the loops beat, and this replica's heartbeat key is fresh."""
        ttl = await self.state.r.pttl(keys.heartbeat(self.replica))
        ok = self.healthy() and ttl > 0
        return {
            "ok": ok,
            "watcher": "up" if ok else "stalled",
            "watcher_heartbeat_ms": HEARTBEAT_TTL_MS - ttl if ttl > 0 else None,
            **self.restore.health(int(time.time() * 1000)),
        }

    # --- loops -------------------------------------------------------------------
    async def _supervise(self, name: str, step, pause: float) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                await step()
                failures = 0
                self.beats[name] = time.monotonic()
                delay = pause
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - supervised: log and go on
                failures += 1
                if failures == 1 or failures % 20 == 0:
                    logger.warning(
                        "watcher %s loop: iteration failed (%s: %s), going on",
                        name,
                        type(exc).__name__,
                        exc,
                    )
                delay = min(5.0, 0.2 * 2 ** min(failures, 5))
            if delay:
                try:
                    await asyncio.wait_for(self._stop.wait(), delay)
                except TimeoutError:
                    pass

    async def _poll_step(self) -> None:
        await self.poller.tick()

    async def _deliver_step(self) -> None:
        try:
            resp = await self.state.r.xreadgroup(
                keys.OUTBOX_GROUP, self.replica, {keys.outbox(): ">"}, count=32, block=BLOCK_MS
            )
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            # Redis lost its data (restarted without persistence, flushed): the outbox and its
            # group are made again, and what is enqueued from now on is delivered
            logger.warning("the outbox's consumer group was gone; creating it again")
            await self.state.ensure_group()
            return
        for _stream, entries in resp or []:
            for entry_id, fields in entries:
                await self._spawn(entry_id, fields)

    async def _spawn(self, entry_id: str, fields: dict) -> None:
        try:
            dest = Dest.parse((fields or {}).get("dest", ""))
        except ValueError:  # an entry trimmed while pending: nothing to do
            await self.state.r.xack(keys.outbox(), keys.OUTBOX_GROUP, entry_id)
            return
        await self._sem.acquire()
        task = asyncio.create_task(self._handle(entry_id, dest))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _handle(self, entry_id: str, dest: Dest) -> None:
        who = {"slack_user" if dest.is_dm else "channel": dest.ident}
        try:
            with logs.bound(**who):
                await self.delivery.handle(entry_id, dest)
        except Exception as exc:  # noqa: BLE001 - Redis gone mid-delivery: entry stays pending
            logger.warning(
                "delivery of %s to %s interrupted (%s: %s); it stays pending",
                entry_id,
                dest,
                type(exc).__name__,
                exc,
            )
        finally:
            self._sem.release()

    async def _upkeep_step(self) -> None:
        now = time.monotonic()
        await self.state.pump(int(time.time() * 1000))
        if now - self._last["hb"] >= HEARTBEAT_EVERY:
            await self._beat()
            self._last["hb"] = now
        if now - self._last["sched"] >= SCHEDULE_EVERY:
            await self.schedules.step(int(time.time() * 1000))
            self._last["sched"] = now
        if now - self._last["claim"] >= max(1.0, self.lease / 3):
            await self._reclaim()
            self._last["claim"] = now
        if now - self._last["trim"] >= 60:
            await self._trim()
            self._last["trim"] = now

    async def _beat(self) -> None:
        gen, window = await self.state.heartbeat(
            self.replica, HEARTBEAT_TTL_MS, int(time.time() * 1000), self.restore.highest
        )
        self.restore.learn(gen, window, compared=True)

    async def _reclaim(self) -> None:
        """Take over outbox entries a crashed replica left pending longer than a lease."""
        min_idle = int(self.lease * 1500)
        _next, entries, *_ = await self.state.r.xautoclaim(
            keys.outbox(), keys.OUTBOX_GROUP, self.replica, min_idle, start_id="0-0", count=50
        )
        for entry_id, fields in entries:
            await self._spawn(entry_id, fields)
        if entries:
            logger.info("reclaimed %d pending notification wake-up(s)", len(entries))

    async def _trim(self) -> None:
        """Drop acknowledged outbox entries: below the oldest pending and the last delivered."""
        groups = await self.state.r.xinfo_groups(keys.outbox())
        info = next((g for g in groups if g.get("name") == keys.OUTBOX_GROUP), None)
        if not info:
            return
        floor = info.get("last-delivered-id")
        pend = await self.state.r.xpending(keys.outbox(), keys.OUTBOX_GROUP)
        if pend and pend.get("pending"):
            floor = min(floor, pend["min"], key=_id_key)
        await self.state.r.xtrim(keys.outbox(), minid=floor, approximate=True)
        # consumers of replicas long gone, with nothing pending, are forgotten
        for c in await self.state.r.xinfo_consumers(keys.outbox(), keys.OUTBOX_GROUP):
            name = c.get("name")
            if name != self.replica and not c.get("pending") and c.get("idle", 0) > 3_600_000:
                await self.state.r.xgroup_delconsumer(keys.outbox(), keys.OUTBOX_GROUP, name)


def _id_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def slack_timeout(lease: float) -> float:
    """Slack HTTP timeout for posts: well inside the delivery lease."""
    return max(1.0, min(10.0, lease / 3))
