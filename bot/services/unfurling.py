"""Link previews: a posted link to a job in the SeekrFlow web app gets a compact card.

The job is read with the poster's key when they linked one, else the team key; a link
to a job that key cannot see (not found, not allowed) is left as Slack shows it. At most
``LINKS_MAX`` links of one message are read.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.refs import app_link_job
from bot.render.unfurl import job_preview
from bot.seekrflow import SeekrFlowError
from bot.values import Actor

from .access import Access

logger = logging.getLogger(__name__)

LINKS_MAX = 5


class Unfurling:
    def __init__(self, access: Access, app_url: str):
        self.access = access
        self.app_url = app_url

    def jobs_linked(self, links: Any) -> dict[str, str]:
        """url -> job id, for the event's links that point at a job in the web app."""
        found: dict[str, str] = {}
        for link in links if isinstance(links, list) else []:
            url = link.get("url") if isinstance(link, dict) else None
            if isinstance(url, str) and len(url) <= 2000:
                job_id = app_link_job(url, self.app_url)
                if job_id:
                    found[url] = job_id
        return dict(list(found.items())[:LINKS_MAX])

    async def previews(self, actor: Actor, linked: dict[str, str]) -> dict[str, Any]:
        identity = await self.access.identity(actor.user_id)
        if not linked or not identity.may_read:
            return {}
        seekr = self.access.client(identity)
        jobs = await asyncio.gather(*(seekr.get_job(j) for j in linked.values()),
                                    return_exceptions=True)  # fmt: skip
        out = {}
        for url, job in zip(linked, jobs, strict=True):
            if isinstance(job, SeekrFlowError):
                logger.info("a shared link was not previewed: %s", type(job).__name__)
                continue
            if isinstance(job, BaseException):
                raise job
            out[url] = job_preview(job)
        return out

    async def unfurl(self, client: Any, actor: Actor, event: dict[str, Any]) -> None:
        """Preview, as ``actor`` (who posted the links) may read them, the event's job links."""
        linked = self.jobs_linked(event.get("links"))
        if not linked:
            return
        unfurls = await self.previews(actor, linked)
        if not unfurls:
            return
        if event.get("channel") and event.get("message_ts"):
            where = {"channel": event["channel"], "ts": event["message_ts"]}
        else:  # a link still being typed (source "composer") has only an unfurl_id
            where = {"unfurl_id": event.get("unfurl_id"), "source": event.get("source")}
        await client.chat_unfurl(**where, unfurls=unfurls)
