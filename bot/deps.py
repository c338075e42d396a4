"""What listeners need, built once per process and put into Bolt's ``context``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.access import Access, build_access
from bot.services.cards import JobCards
from bot.services.claiming import Claiming
from bot.services.explaining import Explaining
from bot.services.finding import Finding
from bot.services.home import Home
from bot.services.jobs import Jobs
from bot.services.lifecycle import Lifecycle
from bot.services.linking import Linking
from bot.services.pausing import KeyResolver, PauseNotices
from bot.services.quieting import Quieting, TimeZones
from bot.services.subscribing import Subscribing
from bot.services.summaries import Summaries
from bot.services.unfurling import Unfurling
from bot.settings import Settings
from bot.slack_web import listener_client
from bot.store import (
    ClaimStore,
    DailyStore,
    History,
    HomeCache,
    JobMessages,
    QuietStore,
    RetryStore,
    SubscriptionStore,
)
from bot.store.connect import AnyRedis, request_client

logger = logging.getLogger(__name__)

#: A health check returns facts for /healthz; ``{"ok": False, ...}`` makes it 503.
HealthCheck = Callable[[], Awaitable[dict[str, Any]]]


@dataclass
class Deps:
    settings: Settings
    http: httpx.AsyncClient
    redis: AnyRedis
    slack: AsyncWebClient
    access: Access  # for the watcher and the checks; listeners go through the services below
    jobs: Jobs
    finding: Finding
    subscribing: Subscribing
    quieting: Quieting
    summaries: Summaries
    explaining: Explaining
    linking: Linking
    claiming: Claiming
    notices: PauseNotices
    key_resolver: KeyResolver  # key_ref -> client for the watcher; pauses a key that stops working
    home: Home
    unfurling: Unfurling
    health_checks: list[HealthCheck] = field(default_factory=list)
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def aclose(self) -> None:
        for close in reversed(self.closers):
            try:
                await close()
            except Exception:
                logger.exception("error while shutting down")
        await self.http.aclose()
        await self.redis.aclose()


def build_deps(settings: Settings) -> Deps:
    http = httpx.AsyncClient(
        timeout=settings.seekr_timeout,
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
    )
    redis = request_client(settings)
    slack = listener_client(settings)
    access = build_access(settings, http, redis, slack)
    notices = PauseNotices(access, slack, access.audit)
    subs, quiet, history = SubscriptionStore(redis), QuietStore(redis), History(redis)
    zones = TimeZones(slack)
    subscribing = Subscribing(access, subs, slack, access.audit, quiet, history)
    claims = ClaimStore(redis)
    cards = JobCards(subs, claims)
    return Deps(
        settings=settings,
        http=http,
        redis=redis,
        slack=slack,
        access=access,
        jobs=Jobs(access, cards, Lifecycle(subs, RetryStore(redis))),
        finding=Finding(access),
        subscribing=subscribing,
        quieting=Quieting(access, quiet, zones, access.audit),
        summaries=Summaries(access, DailyStore(redis), zones, subscribing, access.audit),
        explaining=Explaining(access, subs, quiet, history, slack),
        linking=Linking(access, notices),
        claiming=Claiming(access, claims, JobMessages(redis), slack),
        notices=notices,
        key_resolver=KeyResolver(access, notices),
        home=Home(access, subs, HomeCache(redis)),
        unfurling=Unfurling(access, settings.seekr_app_url),
    )
