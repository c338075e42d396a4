"""Lua that notices the notification state went back in time, and the heartbeat that writes
the clock it is measured by.

Redis restored from an older snapshot (an RDB or AOF copied back) brings back
notifications as still queued that Slack already shows, and job statuses from
before changes that were already told. Two facts notice it, both checked
atomically with what they guard:

- ``clock``: every replica writes the wall time with each heartbeat (every 2 s).
  Found older than ``stale_ms``, the state lost its recent writes (or every
  replica was stopped that long: the bot cannot tell the two apart, and checks
  anyway).
- ``generation``: a counter raised just before each post. A replica that saw
  it higher than it is now knows Redis went back, even to a snapshot only
  seconds old.

Either opens a *restore window* (``restore_window``): until it ends, every post
is first checked against its conversation since the old clock (minus a
margin), and the post goes ahead only with the window's id (``checked``).
"""

from __future__ import annotations

from .lua import script

# Shared by PREPOST and HEARTBEAT; needs KEY_clock, KEY_generation, KEY_restore_window.
# went_back(now, stale_ms, highest_gen, window_ms, margin_ms) -> window JSON or false
DETECT = r"""
local function went_back(now, stale, highest, window, margin)
  local prev = tonumber(redis.call('GET', KEY_clock) or '')
  local gen = tonumber(redis.call('GET', KEY_generation) or '0')
  local cur = redis.call('GET', KEY_restore_window)
  local w = cur and cjson.decode(cur)
  if w and tonumber(w.until_ms) <= now then cur, w = false, nil end
  local reason = false
  if prev and now - prev > stale then reason = 'clock'
  elseif highest > gen then reason = 'generation' end
  if reason then
    -- every post after the snapshot came after its clock; no clock: look back a day
    local since = (prev or (now - 86400000)) - margin
    if w and tonumber(w.since_ms) <= since then
      w.until_ms = now + window  -- already checking far enough back: keep its id
    else
      w = {id = string.format('%d-%d', now, gen), since_ms = since, until_ms = now + window,
           at_ms = now, reason = reason, gone_ms = now - (prev or now),
           gen_seen = highest, gen = gen}
    end
    cur = cjson.encode(w)
    redis.call('SET', KEY_restore_window, cur, 'PX', window)
    redis.call('SET', KEY_clock, string.format('%d', now))
  end
  return cur
end
"""

HEARTBEAT_KEYS = ("heartbeat", "clock", "generation", "restore_window")
# KEYS: heartbeat(replica), clock, generation, restore_window
# ARGV: now_ms, heartbeat_ttl_ms, stale_ms, highest_gen_seen, window_ms, margin_ms
# -> {generation, window JSON or ''}
HEARTBEAT = script(
    HEARTBEAT_KEYS,
    DETECT
    + r"""
local now = tonumber(ARGV[1])
redis.call('SET', KEY_heartbeat, now, 'PX', ARGV[2])
local w = went_back(now, tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]),
                    tonumber(ARGV[6]))
redis.call('SET', KEY_clock, ARGV[1])
return {tonumber(redis.call('GET', KEY_generation) or '0'), w or ''}
""",
)
