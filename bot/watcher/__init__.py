"""The watcher: polls SeekrFlow per key and delivers job notifications to Slack."""

from __future__ import annotations

import httpx

from bot.seekrflow import SeekrFlow
from bot.settings import Settings
from bot.slack_web import watcher_client
from bot.store.connect import AnyRedis
from bot.values import KeyRef

from .poller import KeyResolver, Poller
from .service import Watcher, slack_timeout

__all__ = ["KeyResolver", "Poller", "Watcher", "build_watcher", "team_resolver"]


def team_resolver(settings: Settings, http: httpx.AsyncClient) -> KeyResolver:
    """Every key_ref polls with the team key (SEEKR_API_KEY)."""

    async def resolve(key_ref: KeyRef) -> SeekrFlow:
        if settings.seekr_api_key is None:
            raise LookupError("SEEKR_API_KEY is not set")
        return SeekrFlow(
            http,
            base_url=settings.seekr_base_url,
            api_key=settings.seekr_api_key.get_secret_value(),
            team_id=settings.seekr_team_id,
        )

    return resolve


def build_watcher(
    settings: Settings,
    redis: AnyRedis,
    http: httpx.AsyncClient,
    *,
    resolve: KeyResolver | None = None,
    replica: str | None = None,
    digest_min: int = 3,
) -> Watcher:
    """A watcher with its own Slack client: no automatic retries (a retried post could land
    twice; 429s are re-scheduled per channel instead) and a timeout inside the delivery lease."""
    lease = settings.delivery_lease
    slack = watcher_client(settings, slack_timeout(lease))
    return Watcher(
        redis,
        slack,
        resolve or team_resolver(settings, http),
        poll_interval=settings.poll_interval,
        delivery_lease=lease,
        replica=replica,
        review_reminder=settings.review_reminder,
        digest_min=digest_min,
    )
