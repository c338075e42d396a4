"""Redis state: every key shape (keys.py), the Lua scripts, subscriptions, notification state,
linked keys, key health and the audit trail. Clients are made in ``connect.py``."""

from . import keys
from .audit import Audit, AuditEntry, Outcome
from .claims import ClaimStore
from .crypto import Cipher, EncryptionUnavailable, UndecryptableSecret, generate_key
from .daily import DailyStore
from .history import History
from .home_cache import HomeCache
from .job_messages import JobMessages
from .key_state import KeyState
from .linked_keys import KeyStore, LinkedKey, RotationResult
from .notify_state import Begin, NotifyState, Observation, PrePost, RestoreRules, RestoreWindow
from .quieting import QuietStore
from .retries import RetryStore
from .subscriptions import SubscribeResult, SubscriptionStore

__all__ = [
    "Audit",
    "AuditEntry",
    "Begin",
    "Cipher",
    "ClaimStore",
    "DailyStore",
    "EncryptionUnavailable",
    "History",
    "HomeCache",
    "JobMessages",
    "KeyState",
    "KeyStore",
    "LinkedKey",
    "NotifyState",
    "Observation",
    "Outcome",
    "PrePost",
    "QuietStore",
    "RestoreRules",
    "RestoreWindow",
    "RetryStore",
    "RotationResult",
    "SubscribeResult",
    "SubscriptionStore",
    "UndecryptableSecret",
    "generate_key",
    "keys",
]
