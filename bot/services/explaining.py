"""``/datajobs why <job>``: for each place the person can see (their DM, the channel they are
in), the subscription to the job with its filter and state, and what the bot did with each
status change it saw (the job's capped history, ``bot.store.history``)."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import now_ms
from bot.outcomes import Explained, Place
from bot.refs import JobName
from bot.seekrflow import TERMINAL
from bot.store import History, QuietStore, SubscriptionStore
from bot.values import ALL_SCOPE, Actor, HistoryEntry, Seen

from .access import Access
from .finding import find_job

logger = logging.getLogger(__name__)

MAX_LINKS = 10


class Explaining:
    def __init__(
        self,
        access: Access,
        subs: SubscriptionStore,
        quiet: QuietStore,
        history: History,
        slack: AsyncWebClient,
    ):
        self.access = access
        self.subs = subs
        self.quiet = quiet
        self.history = history
        self.slack = slack

    async def why(self, actor: Actor, job_ref: JobName) -> Explained:
        """Where ``actor`` can look (their DM, the channel they are in): each place's
        subscription to the job, and what the bot did with each change it saw."""
        seekr = await self.access.reader(actor)
        job_id = job_ref if isinstance(job_ref, str) else await find_job(seekr, job_ref)
        job = await seekr.get_job(job_id)  # an unknown job, or another key's, is refused here
        dead = set(await self.access.key_state.dead())
        now = now_ms()
        history = await self.history.of_job(job.id)
        places = []
        for dest in actor.places():
            subs = [s for s in await self.subs.list(dest) if s.all_jobs or s.job_id == job.id]
            sub = next((s for s in subs if s.job_id == job.id), subs[0] if subs else None)
            quiets = await self.quiet.of(dest, now)
            scope = job.id if job.id in quiets or (sub and not sub.all_jobs) else ALL_SCOPE
            place = Place(
                dest,
                sub=sub,
                quiet=quiets.get(scope),
                paused=bool(sub and sub.key_ref in dead),
                broken=await self.subs.broken_reason(dest),
            )
            place.links = await self._links(
                [e for e in history if e.dest == dest and e.what is Seen.SENT]
            )
            places.append(place)
        return Explained(
            job.id, job.name, job.status, places, history, finished=job.status in TERMINAL
        )

    async def _links(self, sent: list[HistoryEntry]) -> dict[str, str]:
        links = {}
        for e in sent[:MAX_LINKS]:
            if not (e.channel and e.ts) or e.ts in links:
                continue
            try:
                resp = await self.slack.chat_getPermalink(channel=e.channel, message_ts=e.ts)
                link = str(resp.get("permalink") or "")
                if link.startswith("https://") and "|" not in link and ">" not in link:
                    links[e.ts] = link
            except Exception as exc:  # noqa: BLE001 - the line is shown without its link
                logger.info("no permalink for a sent notification (%s)", type(exc).__name__)
        return links
