"""The one clock: now as an aware UTC datetime, or as epoch milliseconds (what Redis keeps)."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def now_ms() -> int:
    return int(time.time() * 1000)
