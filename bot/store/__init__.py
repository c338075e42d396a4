"""Redis state: every key shape (keys.py), subscriptions, notification state."""

from . import keys
from .notify_state import Begin, NotifyState, Observation
from .subscriptions import (
    DEFAULT_EVENTS,
    KNOWN_EVENTS,
    SubscribeResult,
    Subscription,
    SubscriptionStore,
    channel_dest,
    dest_label,
    dm_dest,
)

__all__ = [
    "DEFAULT_EVENTS",
    "KNOWN_EVENTS",
    "Begin",
    "NotifyState",
    "Observation",
    "SubscribeResult",
    "Subscription",
    "SubscriptionStore",
    "channel_dest",
    "dest_label",
    "dm_dest",
    "keys",
]
