"""What one bot process counts, for ``GET /metrics`` (the Prometheus text format).

Made with ``prometheus-client``, the Prometheus project's own Python library: its text
format, histograms and process collector (RSS, CPU, open files) are the ones every
Prometheus server and Grafana dashboard expects. The metrics live in its default registry,
one per process, so each replica reports its own and Prometheus adds the ``instance``.

Every label takes a value from a short fixed set (kinds, outcomes, endpoint names, HTTP
status codes, Slack method names the bot calls): never a job id, user id or channel id.
The README's "Running in production" lists them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

__all__ = ["CONTENT_TYPE_LATEST", "exposition"]

# --- Slack -> the bot ---------------------------------------------------------------
SLACK_REQUESTS = Counter(
    "datajobs_slack_requests",
    "Requests from Slack (HTTP and Socket Mode), by kind and what became of them.",
    ["kind", "outcome"],
)
SLACK_KINDS = ("command", "interaction", "event", "unknown")
SLACK_OUTCOMES = (
    "ok",  # handed to the listeners and acknowledged
    "bad_signature",  # unsigned, badly signed or older than five minutes (401)
    "too_large",  # over the body limit (413)
    "unreadable",  # the body could not be read (400)
    "malformed",  # signed, but not a form or a JSON object (400)
    "unexpected_shape",  # a field the bot relies on has the wrong shape
    "failed",  # a listener raised before acknowledging (the person got a sentence)
)
ACK_SECONDS = Histogram(
    "datajobs_slack_ack_seconds",
    "From a Slack request's arrival to its acknowledgement (Slack waits 3 s).",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
)

# --- the bot -> Slack -----------------------------------------------------------------
SLACK_RATELIMITED = Counter(
    "datajobs_slack_ratelimited",
    "HTTP 429 answers from Slack's Web API, by method.",
    ["method"],
)
_SLACK_METHOD = re.compile(r"^[a-z]+(?:\.[a-zA-Z]+){1,3}$")

# --- the bot -> SeekrFlow -------------------------------------------------------------
SEEKRFLOW_REQUESTS = Counter(
    "datajobs_seekrflow_requests",
    "Requests to SeekrFlow's API, by endpoint and HTTP status (or timeout / unreachable).",
    ["endpoint", "status"],
)
SEEKRFLOW_ENDPOINTS = ("list", "get", "update", "cancel", "start", "remove_files", "clone")

# --- the watcher ----------------------------------------------------------------------
POLL_SECONDS = Histogram(
    "datajobs_poll_seconds",
    "How long one poll of one SeekrFlow key took (list pages, detail reads, the record).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
POLL_REQUESTS = Histogram(
    "datajobs_poll_requests",
    "SeekrFlow requests one poll of one key made.",
    buckets=(0, 1, 2, 3, 5, 10, 20, 50, 100, 250),
)
POLLS = Counter(
    "datajobs_polls",
    "Polls of a SeekrFlow key, by outcome.",
    ["outcome"],  # ok, key_rejected, rate_limited, seekrflow_error, error
)
NOTIFICATIONS = Counter(
    "datajobs_notifications",
    "Notifications: recorded (queued for a target), delivered (in Slack), already_delivered "
    "(found in Slack after an unknown outcome or a restore, not posted again), dead_lettered "
    "(the target no longer takes messages).",
    ["stage"],
)
NOTIFICATION_STAGES = ("recorded", "delivered", "already_delivered", "dead_lettered")
OUTBOX_LAG = Gauge(
    "datajobs_outbox_lag_seconds",
    "Age of the oldest notification recorded but not yet in Slack (0 when none waits).",
)
SUBSCRIPTIONS = Gauge(
    "datajobs_subscriptions",
    "Live subscriptions, by kind (one job or every job of a key) and target (dm or channel).",
    ["kind", "target"],
)

# The children every dashboard expects to find, at 0, from the first scrape.
for _kind in SLACK_KINDS:
    SLACK_REQUESTS.labels(_kind, "ok")
SLACK_REQUESTS.labels("unknown", "bad_signature")
for _stage in NOTIFICATION_STAGES:
    NOTIFICATIONS.labels(_stage)
for _kind in ("job", "all"):
    for _target in ("dm", "channel"):
        SUBSCRIPTIONS.labels(_kind, _target)


def slack_request(kind: str, outcome: str, seconds: float | None = None) -> None:
    kind = kind if kind in SLACK_KINDS else "unknown"
    SLACK_REQUESTS.labels(kind, outcome if outcome in SLACK_OUTCOMES else "failed").inc()
    if seconds is not None:
        ACK_SECONDS.labels(kind).observe(seconds)


def slack_ratelimited(method: str) -> None:
    SLACK_RATELIMITED.labels(method if _SLACK_METHOD.match(method) else "other").inc()


# --- SeekrFlow requests, counted per poll ---------------------------------------------
_poll_requests: ContextVar[list[int] | None] = ContextVar("poll_requests", default=None)


def seekrflow_request(endpoint: str, status: str) -> None:
    SEEKRFLOW_REQUESTS.labels(
        endpoint if endpoint in SEEKRFLOW_ENDPOINTS else "other", status
    ).inc()
    box = _poll_requests.get()
    if box is not None:
        box[0] += 1


@contextmanager
def counting_requests() -> Iterator[list[int]]:
    """``with counting_requests() as n:`` ``n[0]`` is how many SeekrFlow requests the code
    inside (and the tasks it starts) made."""
    box = [0]
    token = _poll_requests.set(box)
    try:
        yield box
    finally:
        _poll_requests.reset(token)


def notifications(stage: str, count: int = 1) -> None:
    if count > 0 and stage in NOTIFICATION_STAGES:
        NOTIFICATIONS.labels(stage).inc(count)


def exposition() -> bytes:
    return generate_latest()
