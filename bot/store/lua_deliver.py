"""Lua for delivery: one sender per target at a time, record-before-post, commit, defer, broken.

Protocol per outbox entry (a wake-up for one target ``dest``):
BEGIN takes the target's lease and a fencing token (or acks the entry when
another sender holds the lease, the target is paced, or nothing is queued);
PREPOST records the attempt (``att``) just before the HTTP call, only while
the fence still holds with enough lease left; COMMIT marks the nids sent and
acks; DEFER re-schedules (429, pacing, unknown outcome) and acks; BROKEN dead-
letters what is queued for a target Slack refuses for good. An ``att`` found
at BEGIN means the last attempt's outcome is unknown: the sender looks for the
nids in Slack's history (message metadata) before posting anything again.
"""

from __future__ import annotations

from .lua import script
from .lua_quiet import SNIPPETS
from .lua_restore import DETECT

# Every delivery script passes these first: the target's lease, the outbox, the retry set.
_SENDER_KEYS = ("lock", "outbox", "retry")
_RELEASE = r"""
local function release(owner)
  if redis.call('GET', KEY_lock) == owner then redis.call('DEL', KEY_lock) end
end
local function ack(entry)
  if entry ~= '' then redis.call('XACK', KEY_outbox, OUTBOX_GROUP, entry) end
end
local function later(dest, due)
  redis.call('ZADD', KEY_retry, 'LT', due, dest)  -- adds when absent, else keeps the earlier due
end
"""

BEGIN_KEYS = (*_SENDER_KEYS, "pending", "attempt", "gate", "fence", "target")
# KEYS: lock, outbox, retry, pending, attempt, gate (of dest), fence, target(dest)
# ARGV: dest, consumer, now_ms, lease_ms, entry_id
# -> {'busy'} | {'empty'} | {'defer', wait_ms} | {'go', fence, att_json, channel, broken, nid...}
# Safe to run twice (a client retry): the second run finds its own lease and re-schedules.
BEGIN = script(
    BEGIN_KEYS,
    _RELEASE
    + r"""
local dest, consumer, now, lease, entry = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local held = redis.call('PTTL', KEY_lock)
if held > 0 then
  -- another sender has this target: look again when its lease ends, whatever becomes of it
  later(dest, now + held + 100)
  ack(entry)
  return {'busy'}
end
local att = redis.call('GET', KEY_attempt)
if redis.call('ZCARD', KEY_pending) == 0 and not att then ack(entry) return {'empty'} end
local wait = redis.call('PTTL', KEY_gate)
if wait > 0 then later(dest, now + wait) ack(entry) return {'defer', wait} end
local f = redis.call('INCR', KEY_fence)
redis.call('SET', KEY_lock, consumer..'|'..f, 'PX', lease)
local out = {'go', f, att or '', redis.call('HGET', KEY_target, 'channel') or '',
             redis.call('HGET', KEY_target, 'broken') or ''}
for _, nid in ipairs(redis.call('ZRANGE', KEY_pending, 0, -1)) do table.insert(out, nid) end
return out
""",
)

PREPOST_KEYS = ("lock", "attempt", "clock", "generation", "restore_window")
# KEYS: lock(dest), attempt(dest), clock, generation, restore_window
# ARGV: owner ('<consumer>|<fence>'), margin_ms, att_json, now_ms, stale_ms, highest_gen_seen,
#       window_ms, since_margin_ms, checked (the id of the restore window the nids were checked
#       against, or '')
# -> {'lost'} lease lost | {'check', window JSON, generation} the state went back: check the
#    conversation first | {'go', generation} the attempt is recorded: post
PREPOST = script(
    PREPOST_KEYS,
    DETECT
    + r"""
local owner, margin, att = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if redis.call('GET', KEY_lock) ~= owner or redis.call('PTTL', KEY_lock) < margin then
  return {'lost'}
end
local w = went_back(tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]),
                    tonumber(ARGV[8]))
if w and cjson.decode(w).id ~= ARGV[9] then
  return {'check', w, tonumber(redis.call('GET', KEY_generation) or '0')}
end
redis.call('SET', KEY_attempt, att)
return {'go', redis.call('INCR', KEY_generation)}
""",
)

COMMIT_KEYS = (*_SENDER_KEYS, "pending", "attempt", "gate")
# KEYS: lock, outbox, retry, pending, attempt, gate (of dest)
# ARGV: dest, owner, clear_att_fence, ts, channel, root_job, gate_ms, now_ms, entry_id, nid...
# Marks the nids sent with the message ts (also for a stale owner: the message exists), clears
# the attempt it resolves, paces the target, and - when `entry_id` is set - releases and acks.
# -> {notifications still queued, nids already sent as another message...}
COMMIT = script(
    COMMIT_KEYS,
    _RELEASE
    + SNIPPETS
    + r"""
local dest, owner, afence, ts, channel, root = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local gate, now, entry = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local dups = {}
for i = 10, #ARGV do
  local nid = ARGV[i]
  local job = string.match(nid, '^([^|]*)|')
  local jk = K.job(job)
  local cur = redis.call('HGET', jk, 'n:'..nid)
  local mark = cur and string.find(cur, '.', 1, true)  -- a message ts, not q/x/h/m
  if mark and cur ~= ts and ts ~= '' then
    table.insert(dups, nid)
  elseif ts ~= '' and redis.call('EXISTS', jk) == 1 then
    redis.call('HSET', jk, 'n:'..nid, ts)
    local _, status, occ = string.match(nid, '^([^|]*)|([^|]*)|([^|]*)|')
    local label = redis.call('HGET', K.batched(dest), nid)
    log_entry(job, {st = status, o = tonumber(occ), d = dest, w = 'sent', c = channel, ts = ts,
                    via = label or nil})
  end
  redis.call('ZREM', KEY_pending, nid)
  redis.call('HDEL', K.batched(dest), nid)
end
local att = redis.call('GET', KEY_attempt)
if att and afence ~= '' and tostring(cjson.decode(att)['fence']) == afence then
  redis.call('DEL', KEY_attempt)
end
if root ~= '' and ts ~= '' then
  redis.call('HSETNX', K.job(root), 'root:'..dest, channel..'|'..ts)
end
if gate > 0 then redis.call('SET', KEY_gate, '1', 'PX', gate) end
if entry ~= '' then
  release(owner)
  ack(entry)
  if redis.call('ZCARD', KEY_pending) > 0 then later(dest, now + math.max(gate, 1)) end
end
local out = {redis.call('ZCARD', KEY_pending)}
for _, nid in ipairs(dups) do table.insert(out, nid) end
return out
""",
)

DEFER_KEYS = (*_SENDER_KEYS, "attempt", "gate")
# KEYS: lock, outbox, retry, attempt, gate (of dest)
# ARGV: dest, owner, keep_att ('1' = outcome unknown), gate_ms, due_ms, entry_id
DEFER = script(
    DEFER_KEYS,
    _RELEASE
    + r"""
local dest, owner, keep, gate, due, entry = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]),
  tonumber(ARGV[5]), ARGV[6]
local att = redis.call('GET', KEY_attempt)
local fence = string.match(owner, '|(%d+)$')
if keep ~= '1' and att and tostring(cjson.decode(att)['fence']) == fence then
  redis.call('DEL', KEY_attempt)
end
if gate > 0 then redis.call('SET', KEY_gate, '1', 'PX', gate) end
later(dest, due)
release(owner)
ack(entry)
return 1
""",
)

BROKEN_KEYS = (*_SENDER_KEYS, "pending", "attempt", "target", "dead")
# KEYS: lock, outbox, retry, pending, attempt, target (of dest), dead
# ARGV: dest, owner, reason, now_ms, entry_id -> number of notifications dead-lettered
BROKEN = script(
    BROKEN_KEYS,
    _RELEASE
    + r"""
local dest, owner, reason, now, entry = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('HSET', KEY_target, 'broken', reason, 'broken_at', now)
local nids = redis.call('ZRANGE', KEY_pending, 0, -1)
for _, nid in ipairs(nids) do
  redis.call('XADD', KEY_dead, 'MAXLEN', '~', DEAD_MAXLEN, '*', 'nid', nid, 'dest', dest,
             'reason', reason)
  local job = string.match(nid, '^([^|]*)|')
  local jk = K.job(job)
  if redis.call('EXISTS', jk) == 1 then redis.call('HSET', jk, 'n:'..nid, 'x') end
end
redis.call('DEL', KEY_pending, KEY_attempt, K.batched(dest))
release(owner)
ack(entry)
return #nids
""",
)

PUMP_KEYS = ("retry", "outbox")
# KEYS: retry, outbox
# ARGV: now_ms, limit -> targets woken
PUMP = script(
    PUMP_KEYS,
    r"""
local due = redis.call('ZRANGEBYSCORE', KEY_retry, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, dest in ipairs(due) do
  redis.call('ZREM', KEY_retry, dest)
  redis.call('XADD', KEY_outbox, '*', 'dest', dest)
end
return #due
""",
)
