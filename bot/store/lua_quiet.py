"""Lua for quieting and telling later: snoozes, mutes, held changes, summaries, history.

A change for a snoozed subscription (or one whose key is paused) is *held*: its
notification id is marked ``h`` and kept in ``held(dest)`` with why. When the
snooze ends (or the key works again) the held ids go back into ``pending``,
labelled in ``batched(dest)``, and the sender tells them as one summary. A
muted subscription's changes are not kept (the mark is ``m``). Every decision
is written to the job's capped history (``job_log``), which ``why`` reads.
"""

from __future__ import annotations

from .lua import script

# Functions shared by OBSERVE, COMMIT, the subscribe scripts and those below.
SNIPPETS = r"""
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function log_entry(job, entry)
  if string.sub(job, 1, 1) == '#' then return end
  local lk = K.job_log(job)
  entry['t'] = entry['t'] or now_ms()
  redis.call('LPUSH', lk, cjson.encode(entry))
  redis.call('LTRIM', lk, 0, JOB_LOG_MAX - 1)
  redis.call('EXPIRE', lk, FINISHED_TTL_S)
end
local function nid_job(nid) return string.match(nid, '^([^|]*)|') end
-- hold a notification for later (a snooze, a paused key); false when it was already marked
local function hold(jk, nid, dest, reason)
  if redis.call('HSETNX', jk, 'n:'..nid, 'h') == 0 then return false end
  redis.call('HSET', K.held(dest), nid, reason)
  if string.sub(reason, 1, 2) == 'p:' then
    redis.call('SADD', K.held_for_key(string.sub(reason, 3)), dest)
  end
  return true
end
-- the held notifications of ``dest`` kept for ``reason`` go out, as one summary labelled ``label``
local function release_held(dest, reason, label, now)
  local hk = K.held(dest)
  local h = redis.call('HGETALL', hk)
  local n = 0
  for i = 1, #h, 2 do
    local nid = h[i]
    if h[i + 1] == reason then
      redis.call('HDEL', hk, nid)
      local jk = K.job(nid_job(nid))
      if redis.call('HGET', jk, 'n:'..nid) == 'h' then
        redis.call('HSET', jk, 'n:'..nid, 'q')
        redis.call('ZADD', K.pending(dest), 'NX', now, nid)
        redis.call('HSET', K.batched(dest), nid, label)
        n = n + 1
      end
    end
  end
  if n > 0 then redis.call('XADD', K.outbox(), '*', 'dest', dest) end
  return n
end
-- is ``dest`` quieting ``job``? ('mute' | 'snooze', scope) or nil. ``via_job``: the target has
-- a subscription to this very job (an every-job snooze does not quiet it then)
local function quieted(dest, job, via_job, now)
  local sk = K.snoozes(dest)
  local scope = job
  local rec = redis.call('HGET', sk, job)
  if not rec and not via_job then
    scope = '*'
    rec = redis.call('HGET', sk, '*')
  end
  if not rec then return nil end
  local u = tonumber(cjson.decode(rec)['u'] or '0')
  if u == 0 then return 'mute', scope end
  if u > now then return 'snooze', scope end
  return nil
end
"""

SNOOZE_KEYS = ("snoozes", "snooze_due")
# KEYS: snoozes(dest), snooze_due
# ARGV: dest, scope, until_ms (0 = mute), record_json, now_ms
# -> notifications released (a mute replacing a snooze lets nothing out; 0)
SNOOZE = script(
    SNOOZE_KEYS,
    SNIPPETS
    + r"""
local dest, scope, u, rec = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
redis.call('HSET', KEY_snoozes, scope, rec)
if u > 0 then
  redis.call('ZADD', KEY_snooze_due, u, dest..'|'..scope)
else
  redis.call('ZREM', KEY_snooze_due, dest..'|'..scope)
end
return 0
""",
)

UNSNOOZE_KEYS = ("snoozes", "snooze_due")
# KEYS: snoozes(dest), snooze_due
# ARGV: dest, scope, now_ms -> {was quieted (0/1), notifications released}
UNSNOOZE = script(
    UNSNOOZE_KEYS,
    SNIPPETS
    + r"""
local dest, scope, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local was = redis.call('HDEL', KEY_snoozes, scope)
redis.call('ZREM', KEY_snooze_due, dest..'|'..scope)
return {was, release_held(dest, 's:'..scope, 'snooze', now)}
""",
)

WAKE_KEYS = ("snooze_due",)
# KEYS: snooze_due
# ARGV: now_ms, limit -> snoozes ended
WAKE = script(
    WAKE_KEYS,
    SNIPPETS
    + r"""
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local due = redis.call('ZRANGEBYSCORE', KEY_snooze_due, '-inf', now, 'LIMIT', 0, limit)
for _, member in ipairs(due) do
  redis.call('ZREM', KEY_snooze_due, member)
  local dest, scope = string.match(member, '^([^|]*)|(.*)$')
  local rec = redis.call('HGET', K.snoozes(dest), scope)
  local u = rec and tonumber(cjson.decode(rec)['u'] or '0')
  if u and u > 0 and u <= now then
    redis.call('HDEL', K.snoozes(dest), scope)
    release_held(dest, 's:'..scope, 'snooze', now)
  end
end
return #due
""",
)

# Used by FINISH_POLL: a revived key's first complete poll ends its catch-up.
CATCHUP = r"""
local function end_catchup(kref, now)
  if redis.call('HDEL', K.catchup(), kref) == 0 then return 0 end
  local n = 0
  for _, dest in ipairs(redis.call('SMEMBERS', K.held_for_key(kref))) do
    n = n + release_held(dest, 'p:'..kref, 'catchup', now)
  end
  redis.call('DEL', K.held_for_key(kref))
  return n
end
"""

CLAIM_DAILY_KEYS = ("daily_due", "daily")
# KEYS: daily_due, daily
# ARGV: now_ms, lease_ms, limit -> flat {dest, due_ms, config_json, ...}
CLAIM_DAILY = script(
    CLAIM_DAILY_KEYS,
    r"""
local now, lease, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
local due = redis.call('ZRANGEBYSCORE', KEY_daily_due, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
for _, v in ipairs(due) do table.insert(out, v) end
local res = {}
for i = 1, #out, 2 do
  local dest, due = out[i], out[i + 1]
  local cfg = redis.call('HGET', KEY_daily, dest)
  if cfg then
    redis.call('ZADD', KEY_daily_due, 'XX', now + lease, dest)
    table.insert(res, dest)
    table.insert(res, due)
    table.insert(res, cfg)
  else
    redis.call('ZREM', KEY_daily_due, dest)
  end
end
return res
""",
)

ENQUEUE_DAILY_KEYS = ("daily_due", "daily", "pending", "outbox")
# KEYS: daily_due, daily, pending(dest), outbox
# ARGV: dest, summary job id ('#daily-<date>'), nid, snapshot_json, next_due_ms, config_json,
#       now_ms, ttl_s
# -> 1 enqueued, 0 already told that day (another replica, or before a restart)
# The config must be unchanged since the claim (a `summary off` in between wins).
ENQUEUE_DAILY = script(
    ENQUEUE_DAILY_KEYS,
    r"""
local dest, job, nid, snap, due, cfg = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local now, ttl = ARGV[7], tonumber(ARGV[8])
if redis.call('HGET', KEY_daily, dest) ~= cfg then return -1 end
redis.call('ZADD', KEY_daily_due, 'XX', due, dest)
local jk = K.job(job)
local fresh = redis.call('HSETNX', jk, 'n:'..nid, 'q')
redis.call('HSETNX', jk, 'snap:daily:1', snap)
redis.call('EXPIRE', jk, ttl)
if fresh == 0 then return 0 end
redis.call('ZADD', KEY_pending, 'NX', now, nid)
redis.call('XADD', KEY_outbox, '*', 'dest', dest)
return 1
""",
)

PROGRESS_KEYS = ("progress_gate", "update_budget")
# KEYS: progress_gate(dest, job), update_budget(minute)
# ARGV: budget (updates a minute progress may use), gate_ms -> 1 go, 0 not now
PROGRESS = script(
    PROGRESS_KEYS,
    r"""
if redis.call('EXISTS', KEY_progress_gate) == 1 then return 0 end
if tonumber(redis.call('GET', KEY_update_budget) or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEY_update_budget)
redis.call('EXPIRE', KEY_update_budget, 120)
redis.call('SET', KEY_progress_gate, '1', 'PX', ARGV[2])
return 1
""",
)
