"""The poller: per SeekrFlow key, read the job list far enough, and record status changes.

One poll of one key: read the list newest first (pages of 100) as far as the
plan says, GET the watched jobs beyond it, GET the detail of jobs whose
status differs from the one in Redis, then apply all observations in one
atomic OBSERVE (compare-and-set + outbox). Keys are claimed through a Redis
lease, so across replicas each key is polled by one replica per period.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot import metrics
from bot.seekrflow import (
    TERMINAL,
    DataJob,
    JobNotFound,
    KeyRejected,
    RateLimited,
    SeekrFlow,
    SeekrFlowError,
    WrongState,
)
from bot.store import ClaimStore, NotifyState, Observation, RetryStore
from bot.values import KeyRef

from .plan import GET_ONLY, PAGE, keep_paging, next_delay, planned_pages
from .snapshot import snapshot

logger = logging.getLogger(__name__)

KeyResolver = Callable[[KeyRef], Awaitable[SeekrFlow]]
"""key_ref -> the client that polls with that key (``team`` or ``user:<id>``)."""


def _ms(dt) -> int:
    return int(dt.timestamp() * 1000)


class Poller:
    def __init__(
        self,
        state: NotifyState,
        resolve: KeyResolver,
        *,
        interval: float,
        lease: float = 15.0,
        concurrency: int = 4,
        detail_concurrency: int = 8,
        after_poll: Callable[[str, SeekrFlow, list[str]], None] | None = None,
        review_reminder_ms: int = 4 * 3600 * 1000,
    ):
        self.after_poll = after_poll  # (key_ref, client, running job ids): live progress
        self.review_reminder_ms = review_reminder_ms
        self.claims = ClaimStore(state.r)
        self.retries = RetryStore(state.r)
        self.state = state
        self.resolve = resolve
        self.interval = interval
        self.lease = lease
        self._keys = asyncio.Semaphore(concurrency)
        self._details = asyncio.Semaphore(detail_concurrency)
        self._running: set[asyncio.Task] = set()

    async def tick(self) -> int:
        """Claim the keys that are due and start polling them; returns how many were claimed."""
        free = self._keys._value
        if free <= 0:
            return 0
        now = int(time.time() * 1000)
        claimed = await self.state.claim_polls(now, int(self.lease * 1000), limit=free)
        for key_ref, fence in claimed:
            task = asyncio.create_task(self._guarded(key_ref, fence))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return len(claimed)

    async def drain(self) -> None:
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def _guarded(self, key_ref: KeyRef, fence: int) -> None:
        async with self._keys:
            errors = await self.state.poll_errors(key_ref)
            extender = asyncio.create_task(self._extend(key_ref, fence, errors))
            retry_after = None
            outcome = "ok"
            started = time.monotonic()
            try:
                with metrics.counting_requests() as made:
                    await self.poll_key(key_ref)
                errors = 0
            except asyncio.CancelledError:
                raise
            except KeyRejected:
                errors += 1
                retry_after = 300.0
                outcome = "key_rejected"
                logger.warning("SeekrFlow rejected the key %s; polling it again in 5 min", key_ref)
            except RateLimited as exc:
                errors += 1
                retry_after = exc.retry_after
                outcome = "rate_limited"
                logger.info("SeekrFlow rate-limited key %s; backing off", key_ref)
            except SeekrFlowError as exc:
                errors += 1
                outcome = "seekrflow_error"
                logger.info("polling key %s failed (%s); backing off", key_ref, type(exc).__name__)
            except Exception:
                errors += 1
                outcome = "error"
                logger.exception("polling key %s failed", key_ref)
            finally:
                extender.cancel()
            metrics.POLLS.labels(outcome).inc()
            metrics.POLL_SECONDS.observe(time.monotonic() - started)
            metrics.POLL_REQUESTS.observe(made[0])
            delay = next_delay(self.interval, errors, retry_after)
            await self.state.finish_poll(key_ref, fence, int((time.time() + delay) * 1000), errors)

    async def _extend(self, key_ref: KeyRef, fence: int, errors: int) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            due = int((time.time() + self.lease) * 1000)
            await self.state.finish_poll(key_ref, fence, due, errors, done=False)

    async def poll_key(self, key_ref: KeyRef) -> list[int]:
        """One poll of one key; returns the OBSERVE results (for logs and tests)."""
        client = await self.resolve(key_ref)
        watched = await self.state.watched(key_ref)
        has_all = await self.state.has_all_subs(key_ref)
        if not watched and not has_all:
            return []
        positions = await self.state.pages(key_ref)
        plan = planned_pages(list(watched), positions, has_all)
        seen: dict[str, DataJob] = {}
        new_pos: dict[str, int] = {}
        page = 0
        while keep_paging(page, len(watched.keys() - seen.keys()), plan) or (has_all and page == 0):
            rows = await client.list_jobs(limit=PAGE, offset=page * PAGE)
            for row in rows:
                if row.id in watched:
                    new_pos[row.id] = page
                if row.id in watched or (has_all and page == 0):
                    seen.setdefault(row.id, row)
            page += 1
            missing = [watched[j] for j in watched.keys() - seen.keys()]
            if len(rows) < PAGE or (missing and rows and _ms(rows[-1].created_at) < min(missing)):
                break  # end of the list, or the missing jobs are not on later pages
        beyond = [j for j in watched if j not in seen]
        for j in beyond:
            new_pos[j] = GET_ONLY
        await self.state.set_pages(key_ref, new_pos)
        res = await self._observe(key_ref, client, seen, beyond, watched, has_all)
        await self._start_ready({j: row.status for j, row in seen.items()})
        if self.after_poll is not None:
            running = [j for j, row in seen.items() if row.status == "running" and j in watched]
            self.after_poll(str(key_ref), client, running)
        return res

    async def _observe(
        self,
        key_ref: KeyRef,
        client: SeekrFlow,
        seen: dict[str, DataJob],
        beyond: list[str],
        watched: dict[str, int],
        has_all: bool,
    ) -> list[int]:
        stored = await self.state.statuses(list(seen) + beyond)
        since = await self.state.all_since_ms(key_ref) if has_all else None
        # a job this key's `subscribe all` covers but has not marked yet (say another key's
        # subscription recorded its status first) is observed unchanged, to mark it
        unmarked = await self.state.all_unmarked(key_ref, list(seen) + beyond) if has_all else set()

        def mark_only(job_id: str, job: DataJob) -> Observation | None:
            if job_id not in unmarked or job.status in TERMINAL:
                return None
            return Observation(job_id, job.status, _ms(job.updated_at), _ms(job.created_at), None)

        def fresh(job_id: str, created_ms: int) -> bool:
            """No stored status yet still a transition: a watched job whose state was lost,
            or a job created after ``subscribe all``."""
            return job_id in watched or (since is not None and created_ms >= since)

        obs: list[Observation] = []
        changed = []
        for j, row in seen.items():
            if stored.get(j) == row.status:
                if mark := mark_only(j, row):
                    obs.append(mark)
                continue
            if stored.get(j) is None and not fresh(j, _ms(row.created_at)):
                # first sight of an older job under `subscribe all`: a baseline, no detail needed
                obs.append(
                    Observation(
                        j, row.status, _ms(row.updated_at), _ms(row.created_at), None, False
                    )
                )
            else:
                changed.append(j)
        results = await asyncio.gather(*(self._detail(client, j) for j in changed + beyond))
        for job_id, detail in zip(changed + beyond, results, strict=False):
            if detail is None:
                continue  # failed this time: still differs, so seen again next poll
            if detail == "gone":
                await self._forget(key_ref, job_id)
                continue
            if stored.get(job_id) == detail.status:
                if mark := mark_only(job_id, detail):
                    obs.append(mark)
                continue
            obs.append(
                Observation(
                    job_id,
                    detail.status,
                    _ms(detail.updated_at),
                    _ms(detail.created_at),
                    snapshot(detail),
                    fresh(job_id, _ms(detail.created_at)),
                )
            )
        now = int(time.time() * 1000)
        results = await self.state.observe(key_ref, obs, now)
        for o, res in zip(obs, results, strict=False):
            if res == 1 and o.status == "needs_review":  # one reminder if nobody claims it
                await self.claims.review_started(o.job_id, now + self.review_reminder_ms)
        return results

    async def _start_ready(self, statuses: dict[str, str]) -> None:
        """Retried jobs that were not ready at once: started, with the key of whoever clicked
        Retry, once they are ``ready_to_start``."""
        todo = await self.retries.to_start()
        for job_id, key_ref in todo.items():
            status = statuses.get(job_id)
            if status is None or status in ("file_processing", "needs_review"):
                continue  # not seen this poll, or not ready yet
            if status == "ready_to_start":
                try:
                    await (await self.resolve(key_ref)).start_job(job_id)
                    logger.info("started the retried job %s", job_id)
                except WrongState:
                    pass  # someone started it meanwhile
                except SeekrFlowError as exc:
                    logger.info("could not start %s yet (%s)", job_id, type(exc).__name__)
                    continue
            await self.retries.started(job_id)

    async def _detail(self, client: SeekrFlow, job_id: str):
        async with self._details:
            try:
                return await client.get_job(job_id)
            except JobNotFound:
                return "gone"
            except (RateLimited, KeyRejected):
                raise
            except SeekrFlowError as exc:
                logger.info(
                    "job detail for %s failed (%s); retried next poll", job_id, type(exc).__name__
                )
                return None

    async def _forget(self, key_ref: KeyRef, job_id: str) -> None:
        """The job no longer exists for this key: stop polling it."""
        await self.state.unwatch(key_ref, job_id)
