"""How the Lua scripts get their key names and constants: from Python, never retyped.

``script(keys, body)`` puts before ``body``:
- ``KEY_<name>``: the keys the call passes in ``KEYS``, in order (every key known
  from the call's arguments is passed this way, so a Cluster client routes the
  call and Redis knows what it touches);
- ``K.<shape>(x)``: one Lua function per key shape of ``keys.py``, for the keys a
  script can only derive while it runs (the jobs of a watch set, the targets of a
  job), generated from the Python functions themselves;
- the constants both sides share (``OUTBOX_GROUP``, ``DEAD_MAXLEN``, ``terminal()``).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from functools import cache

from bot.seekrflow.models import TERMINAL

from . import keys

_HOLE = "\x00"

#: key shapes the scripts may derive, by their name in keys.py
DERIVED = (
    "dest_subs",
    "job_subs",
    "all_subs",
    "watch",
    "job",
    "poll_due",
    "poll_state",
    "poll_pages",
    "outbox",
    "pending",
    "target",
    "lock",
    "attempt",
    "fence",
    "retry",
    "gate",
    "dead",
    "snoozes",
    "snooze_due",
    "held",
    "held_for_key",
    "catchup",
    "batched",
    "job_log",
    "activity",
    "claims",
    "review_due",
)


def _lua_str(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _shape(name: str) -> str:
    fn = getattr(keys, name)
    if not inspect.signature(fn).parameters:
        return f"K.{name} = function() return {_lua_str(fn())} end"
    before, hole, after = fn(_HOLE).partition(_HOLE)
    assert hole, f"keys.{name} does not use its argument"
    tail = f"..{_lua_str(after)}" if after else ""
    return f"K.{name} = function(x) return {_lua_str(before)}..x{tail} end"


@cache
def prelude() -> str:
    terminal = ", ".join(f"[{_lua_str(s.value)}] = true" for s in sorted(TERMINAL))
    lines = [
        "local K = {}",
        *(_shape(n) for n in DERIVED),
        f"local OUTBOX_GROUP = {_lua_str(keys.OUTBOX_GROUP)}",
        f"local DEAD_MAXLEN = {int(keys.DEAD_MAXLEN)}",
        f"local JOB_LOG_MAX = {int(keys.JOB_LOG_MAX)}",
        f"local FINISHED_TTL_S = {int(keys.FINISHED_TTL_S)}",
        f"local ACTIVITY_MAX = {int(keys.ACTIVITY_MAX)}",
        f"local TERMINAL = {{{terminal}}}",
        "local function terminal(s) return TERMINAL[s] == true end",
    ]
    return "\n".join(lines) + "\n"


def script(key_names: Sequence[str], body: str) -> str:
    header = "".join(f"local KEY_{n} = KEYS[{i}]\n" for i, n in enumerate(key_names, 1))
    return prelude() + header + body


@cache
def _param(name: str) -> str | None:
    params = list(inspect.signature(getattr(keys, name)).parameters)
    return params[0] if params else None


def keys_for(key_names: Sequence[str], **args: object) -> list[str]:
    """The ``KEYS`` of one call, in the script's order: each shape of ``keys.py`` is given
    the call's argument of the same name (``dest``, ``key_ref``, ``job_id``)."""
    out = []
    for name in key_names:
        param = _param(name)
        out.append(getattr(keys, name)() if param is None else getattr(keys, name)(args[param]))
    return out
