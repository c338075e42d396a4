"""``/datajobs why <job>``: for each place the person can see (their DM, the channel they are
in), the subscription to the job with its filter and state, and what the bot did with each
status change it saw (the job's capped history, ``bot.store.history``)."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.render.why import Place, render_why
from bot.seekrflow import TERMINAL
from bot.store import History, QuietStore, SubscriptionStore
from bot.values import ALL_SCOPE, Dest, HistoryEntry, Seen

from .access import Access

logger = logging.getLogger(__name__)

MAX_LINKS = 10


def places_for(user_id: str, channel_id: str | None) -> list[Dest]:
    """Where a person can look: their DM, and the channel they typed in (not a DM)."""
    places = [Dest.dm(user_id)]
    if channel_id and channel_id[:1] in ("C", "G"):
        places.append(Dest.channel(channel_id))
    return places


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

    async def why(self, user_id: str, channel_id: str | None, job_id: str) -> dict[str, Any]:
        seekr = await self.access.reader(user_id)
        job = await seekr.get_job(job_id)  # an unknown job, or another key's, is refused here
        dead = set(await self.access.key_state.dead())
        now = int(time.time() * 1000)
        history = await self.history.of_job(job.id)
        places = []
        for dest in places_for(user_id, channel_id):
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
        return render_why(
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
