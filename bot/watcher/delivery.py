"""Delivery: outbox entries -> Slack messages, each notification in Slack exactly once.

Per outbox entry (a wake-up for one target): take the target's lease (BEGIN);
if the last attempt's outcome is unknown, look for its notification ids in
the conversation (message metadata) and count those as sent; then post one
message (or one digest when many are queued), recording the attempt first
(PREPOST); on success COMMIT (marks sent, paces the target, XACK). A Slack 429
re-schedules only that target; a target Slack refuses for good is marked
broken and its notifications dead-lettered; a timeout leaves the attempt
recorded, to be checked before anything is posted again.
"""

from __future__ import annotations

import asyncio
import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.store import Begin, JobMessages, NotifyState, RestoreWindow
from bot.values import Dest, Nid

from .messages import Composer, Outgoing, metadata, nids_in
from .report import BROKEN_ERRORS, report_broken
from .restore import RestoreGuard

logger = logging.getLogger(__name__)

PACE_MS = 1100  # about one message per second per channel
UNKNOWN_RETRY_MS = 1500  # look again soon after a post whose outcome is unknown
MAX_THREADS_CHECKED = 50  # job threads read per delivery while the state is being checked


def now_ms() -> int:
    return int(time.time() * 1000)


class Delivery:
    def __init__(
        self,
        state: NotifyState,
        slack: AsyncWebClient,
        *,
        consumer: str,
        lease: float = 30.0,
        http_timeout: float = 10.0,
        digest_min: int = 3,
        guard: RestoreGuard | None = None,
    ):
        self.state = state
        self.slack = slack
        self.consumer = consumer
        self.lease_ms = int(lease * 1000)
        self.margin_ms = int((http_timeout + 1.0) * 1000)
        self.compose = Composer(state, digest_min=digest_min)
        self.messages = JobMessages(state.r)
        self.guard = guard or RestoreGuard(slack)

    async def handle(self, entry_id: str, dest: Dest) -> str:
        """Process one outbox entry; returns what happened (for logs and tests)."""
        b = await self.state.begin(dest, self.consumer, now_ms(), self.lease_ms, entry_id)
        if b.verdict != "go":
            return b.verdict
        try:
            return await self._deliver(dest, b, entry_id)
        except Exception:
            logger.exception("delivery to %s failed; retrying soon", dest)
            return await self._look_again(dest, b, entry_id, "error")

    async def _deliver(self, dest: Dest, b: Begin, entry_id: str) -> str:
        channel = b.channel or await self._open(dest, b, entry_id)
        if not channel:
            return "broken"
        nids = b.nids
        if b.attempt is not None:
            found = await self._reconcile(channel, b.attempt)
            if found is None:
                return await self._look_again(dest, b, entry_id, "unknown")
            await self._mark_found(dest, b, channel, found, b.attempt.get("root_job", ""))
            nids = [n for n in nids if not any(n in hit for hit in found.values())]
        window = self.guard.active(now_ms())
        if window is not None and nids:
            left = await self._check_window(dest, b, channel, nids, window)
            if left is None:
                return await self._look_again(dest, b, entry_id, "unknown")
            nids = left
        out = await self.compose.build(dest, nids)
        if out is None:  # nothing left to say: release and acknowledge
            await self.state.commit(
                dest,
                b.owner,
                list(nids),
                ts="",
                channel=channel,
                clear_attempt_fence=(b.attempt or {}).get("fence"),
                now_ms=now_ms(),
                entry_id=entry_id,
            )
            return "done"
        attempt = {
            "fence": b.fence,
            "nids": [str(n) for n in out.nids],
            "first_ms": now_ms(),
            "thread": out.thread_ts or "",
            "root_job": out.root_job,
        }
        pre = await self.state.prepost(
            dest,
            b.owner,
            self.margin_ms,
            attempt,
            now_ms=now_ms(),
            highest_gen=self.guard.highest,
            checked=window.id if window else "",
        )
        if pre.verdict == "check":
            # the state went back in time since this target was last looked at: look in the
            # conversation first (at once: the window is known now)
            self.guard.learn(pre.generation, pre.window, compared=True)
            return await self._look_again(dest, b, entry_id, "restore-check", after_ms=20)
        if pre.verdict != "go":
            # too little lease left to post safely (or another sender took over): try again
            return await self._look_again(dest, b, entry_id, "lease-lost", after_ms=200)
        self.guard.learn(pre.generation, None if window is None else window, compared=False)
        return await self._post(dest, b, entry_id, channel, out)

    async def _look_again(
        self, dest: Dest, b: Begin, entry_id: str, why: str, after_ms: int = UNKNOWN_RETRY_MS
    ) -> str:
        """Release the target, keeping any unresolved attempt, and wake it again soon."""
        await self.state.defer(
            dest,
            b.owner,
            keep_attempt=True,
            gate_ms=0,
            due_ms=now_ms() + after_ms,
            entry_id=entry_id,
        )
        return why

    async def _mark_found(
        self, dest: Dest, b: Begin, channel: str, found: dict[str, list[Nid]], root_job: str
    ) -> None:
        for ts, hit in found.items():
            metrics.notifications("already_delivered", len(hit))
            await self.state.commit(
                dest,
                b.owner,
                hit,
                ts=ts,
                channel=channel,
                clear_attempt_fence=None,
                root_job=root_job,
            )

    async def _check_window(
        self, dest: Dest, b: Begin, channel: str, nids: list[Nid], window: RestoreWindow
    ) -> list[Nid] | None:
        """Of ``nids``, those not already in the conversation (the state went back in time);
        the others are marked sent. None: the conversation could not be read just now."""
        jobs = sorted({n.job_id for n in nids})
        roots: dict[str, str] = {}
        for job in jobs[:MAX_THREADS_CHECKED]:
            (root,) = await self.state.job_fields(job, f"root:{dest}")
            if root:
                roots[job] = root.split("|", 1)[1]
        seen = await self.guard.seen(window, channel, sorted(set(roots.values())))
        if seen is None:
            return None
        found: dict[str, list[Nid]] = {}
        for n in nids:
            ts = seen.nids.get(str(n))
            if ts:
                found.setdefault(ts, []).append(n)
        for ts, hit in found.items():
            job = next((j for j, root_ts in seen.roots.items() if root_ts == ts), "")
            await self._mark_found(dest, b, channel, {ts: hit}, job)
        if dest.is_channel:
            for job in jobs:
                if job not in roots and job in seen.roots:
                    await self.state.set_root(job, dest, channel, seen.roots[job])
        if found:
            logger.warning(
                "%d notification(s) to %s were already in Slack (the state had gone back in "
                "time): not posted again",
                sum(len(h) for h in found.values()),
                dest,
            )
        return [n for n in nids if str(n) not in seen.nids]

    async def _post(self, dest: Dest, b: Begin, entry_id: str, channel: str, out: Outgoing) -> str:
        try:
            resp = await self.slack.chat_postMessage(
                channel=channel,
                text=out.text,
                blocks=out.blocks,
                thread_ts=out.thread_ts,
                metadata=metadata(out.nids, out.root_job),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            return await self._refused(dest, b, entry_id, exc)
        except Exception as exc:  # noqa: BLE001 - timeout, reset: Slack may or may not have it
            logger.info("post to %s: outcome unknown (%s)", dest, type(exc).__name__)
            return await self._look_again(dest, b, entry_id, "unknown")
        _left, dups = await self.state.commit(
            dest,
            b.owner,
            out.nids + out.dropped,
            ts=resp["ts"],
            channel=channel,
            clear_attempt_fence=b.fence,
            root_job=out.root_job,
            gate_ms=PACE_MS,
            now_ms=now_ms(),
            entry_id=entry_id,
        )
        if dups and set(dups) >= set(out.nids):
            # a sender that lost its lease posted these meanwhile: this copy is the extra one
            await self._delete_copy(channel, resp["ts"])
            return "duplicate-removed"
        metrics.notifications("delivered", len(set(out.nids) - set(dups or ())))
        await self._update_roots(channel, out)
        return "digest" if out.digest else "sent"

    async def _delete_copy(self, channel: str, ts: str) -> None:
        try:
            await self.slack.chat_delete(channel=channel, ts=ts)
            logger.warning("removed an extra copy of a notification in %s", channel)
        except Exception as exc:  # noqa: BLE001 - it stays visible; nothing else to do
            logger.warning("could not remove an extra copy in %s (%s)", channel, type(exc).__name__)

    async def _refused(self, dest: Dest, b: Begin, entry_id: str, exc: SlackApiError) -> str:
        error = exc.response.get("error") if exc.response is not None else None
        status = exc.response.status_code if exc.response is not None else None
        if status == 429 or error == "ratelimited":
            wait = _retry_after(exc)
            await self.state.defer(
                dest,
                b.owner,
                keep_attempt=False,
                gate_ms=int(wait * 1000),
                due_ms=now_ms() + int(wait * 1000),
                entry_id=entry_id,
            )
            return "ratelimited"
        if error in BROKEN_ERRORS:
            return await self._broken(dest, b, entry_id, error)
        logger.warning("Slack refused a notification to %s: %s; retrying later", dest, error)
        await self.state.defer(
            dest,
            b.owner,
            keep_attempt=False,
            gate_ms=0,
            due_ms=now_ms() + 30_000,
            entry_id=entry_id,
        )
        return "refused"

    async def _broken(self, dest: Dest, b: Begin, entry_id: str, reason: str) -> str:
        dropped = await self.state.mark_broken(dest, b.owner, reason, now_ms(), entry_id)
        metrics.notifications("dead_lettered", dropped)
        logger.warning(
            "target %s is broken (%s); %d notification(s) dead-lettered", dest, reason, dropped
        )
        try:
            await report_broken(self.state, self.slack, dest, reason)
        except Exception:
            logger.exception("could not report the broken target %s", dest)
        return "broken"

    async def _open(self, dest: Dest, b: Begin, entry_id: str) -> str:
        if dest.is_channel:
            return dest.ident
        try:
            resp = await self.slack.conversations_open(users=dest.ident)
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error in BROKEN_ERRORS or error in ("user_not_found", "user_disabled"):
                await self._broken(dest, b, entry_id, error)
                return ""
            raise
        channel = resp["channel"]["id"]
        await self.state.set_target_channel(dest, channel)
        return channel

    async def _reconcile(self, channel: str, attempt: dict) -> dict[str, list[Nid]] | None:
        """The attempt's nids already in the conversation: {message ts: [nids]}.

        None: can't tell (look again later)."""
        oldest = f"{max(0, attempt.get('first_ms', 0) / 1000 - 5):.6f}"
        wanted = set(attempt.get("nids", []))
        found: dict[str, list[Nid]] = {}
        try:
            calls = [
                self.slack.conversations_history(
                    channel=channel, oldest=oldest, limit=200, include_all_metadata=True
                )
            ]
            if attempt.get("thread"):
                calls.append(
                    self.slack.conversations_replies(
                        channel=channel,
                        ts=attempt["thread"],
                        oldest=oldest,
                        limit=200,
                        include_all_metadata=True,
                    )
                )
            for resp in await asyncio.gather(*calls):
                for msg in resp.get("messages", []):
                    hit = [Nid.parse(n) for n in nids_in(msg) if n in wanted]
                    if hit:
                        found.setdefault(msg["ts"], []).extend(hit)
        except Exception as exc:  # noqa: BLE001 - can't tell: keep the attempt, look again later
            logger.info("could not check %s for an earlier post (%s)", channel, type(exc).__name__)
            return None
        return found

    async def _update_roots(self, channel: str, out: Outgoing) -> None:
        """Keep each job's first message in the channel at its latest status (idempotent)."""
        for root_ts, body in out.root_updates:
            try:
                await self.messages.count_update()
                await self.slack.chat_update(channel=channel, ts=root_ts, **body)
            except Exception as exc:  # noqa: BLE001 - cosmetic; the notification itself is sent
                logger.info("could not update a thread's first message (%s)", type(exc).__name__)


def _retry_after(exc: SlackApiError) -> float:
    try:
        return max(1.0, float(exc.response.headers.get("Retry-After", 1)))
    except (TypeError, ValueError):
        return 1.0
