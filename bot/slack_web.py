"""The bot's two Slack Web API clients, and the 429s they meet counted by method.

- ``listener_client``: for listeners and services. Connection errors and 429s are retried
  (slack-sdk's own retry handlers, which wait ``Retry-After``).
- ``watcher_client``: for notifications. No automatic retry: a retried post could land
  twice, so the delivery loop re-schedules a 429 per channel itself; its timeout stays
  inside the delivery lease.

Both count every HTTP 429 in ``datajobs_slack_ratelimited{method}`` through a slack-sdk
retry handler that never retries, placed first.
"""

from __future__ import annotations

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.settings import Settings


class CountRateLimits(AsyncRetryHandler):
    """Counts each 429 by the Web API method it answered; never asks for a retry."""

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            metrics.slack_ratelimited(request.url.rstrip("/").rsplit("/", 1)[-1])
        return False


def _token(settings: Settings) -> str | None:
    return settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None


def listener_client(settings: Settings) -> AsyncWebClient:
    """Slack's URL (or GovSlack's, or a test server); connection errors and 429s retried."""
    return AsyncWebClient(
        token=_token(settings),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            CountRateLimits(),
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def watcher_client(settings: Settings, timeout: float) -> AsyncWebClient:
    """No automatic retries (the delivery loop decides); 429s still counted."""
    return AsyncWebClient(
        token=_token(settings),
        base_url=settings.slack_api_url,
        timeout=timeout,  # type: ignore[arg-type]  # annotated int; aiohttp takes float seconds
        retry_handlers=[CountRateLimits()],
    )
