"""Every Redis key shape the bot uses, in one place.

Keys carry a ``{hash tag}`` so that keys touched together by one script or
MULTI land in the same Redis Cluster slot.
"""

from __future__ import annotations

PREFIX = "datajobs"


# --- identity -------------------------------------------------------------
def linked_keys() -> str:
    """HASH Slack user id -> Fernet token of that person's linked SeekrFlow key (JSON)."""
    return f"{PREFIX}:{{identity}}:linked"


def dead_key_refs() -> str:
    """HASH key_ref -> JSON {reason, ts}: keys found not to work; the pause was announced once."""
    return f"{PREFIX}:{{identity}}:dead"


def audit_stream() -> str:
    """STREAM of audit entries (rename, cancel, subscribe, login, logout, pause), capped by XADD MAXLEN ~."""
    return f"{PREFIX}:{{audit}}:log"
