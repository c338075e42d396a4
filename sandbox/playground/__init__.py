"""A fake Slack: Web API, response_urls, request signing and payloads, and the browser
playground."""

from .fake import FakeSlack
from .slack_api import create_slack_app

__all__ = ["FakeSlack", "create_slack_app"]
