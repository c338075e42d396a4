"""``run_bot(settings)``: serve the bot until stopped (HTTP, plus Socket Mode when configured)."""

from __future__ import annotations

import logging

import uvicorn

from bot.settings import Settings
from bot.web import create_web

logger = logging.getLogger(__name__)


def run_bot(settings: Settings) -> int:
    api = create_web(settings)  # raises SettingsError naming a missing setting
    mode = "Socket Mode + HTTP" if settings.slack_app_token else "HTTP"
    logger.info("starting the bot (%s) on %s:%s", mode, settings.host, settings.port)
    uvicorn.run(
        api,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    return 0
