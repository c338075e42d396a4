"""Slack's v0 request signature: what Slack adds to every request it sends an app."""

from __future__ import annotations

import hashlib
import hmac
import time

VERSION = "v0"


def signature(secret: str, body: bytes, timestamp: str | int) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` keyed with the signing secret."""
    base = f"{VERSION}:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def sign(secret: str, body: bytes, timestamp: int | str | None = None) -> dict[str, str]:
    """The two headers Slack sends with ``body`` (timestamp defaults to now)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(secret, body, ts)}
