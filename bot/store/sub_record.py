"""How one subscription is kept in its target's ``dest_subs`` hash: ``<key_ref>|<by>|<at ms>``.

Short on purpose. Under 64 bytes a value keeps the whole hash in Redis's compact listpack
encoding, which costs about a third of a hash table per entry; at 10,000 subscriptions that
is most of the bot's memory. What the record does not hold lives once elsewhere: the events
in ``job_subs`` (a job) or ``all_subs`` (every job of a key), the job's name in the job's
hash. Records written before this format (JSON objects) are still read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.values import KeyRef

# Lua: the key_ref of a record, in either format (used by the subscription and watch scripts)
LUA_REC_KREF = r"""
local function rec_kref(rec)
  if string.sub(rec, 1, 1) == '{' then return cjson.decode(rec)['key_ref'] end
  return string.match(rec, '^([^|]*)')
end
"""


@dataclass(frozen=True)
class SubRecord:
    key_ref: KeyRef
    by: str
    at_ms: int
    # only in records written as JSON before the compact format
    events: tuple[str, ...] | None = None
    name: str | None = None

    def encode(self) -> str:
        return f"{self.key_ref}|{self.by}|{self.at_ms}"

    @classmethod
    def decode(cls, raw: str) -> SubRecord:
        """ValueError for a record that is neither format."""
        if raw.startswith("{"):
            data = json.loads(raw)
            return cls(
                KeyRef.parse(data.get("key_ref", "team")),
                str(data.get("by") or ""),
                int(data.get("at") or 0),
                tuple(data.get("events") or ()),
                data.get("name"),
            )
        key_ref, by, at = raw.split("|", 2)
        return cls(KeyRef.parse(key_ref), by, int(at or 0))
