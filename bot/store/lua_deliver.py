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

from .lua_subs import COMMON

_RELEASE = r"""
local function release(dest, owner)
  local lk = P..':lock:'..dest
  if redis.call('GET', lk) == owner then redis.call('DEL', lk) end
end
local function ack(entry)
  if entry ~= '' then redis.call('XACK', P..':outbox', 'senders', entry) end
end
local function later(dest, due)
  redis.call('ZADD', P..':retry', 'LT', due, dest)  -- adds when absent, else keeps the earlier due
end
"""

# KEYS[1] pending(dest)
# ARGV: P, dest, consumer, now_ms, lease_ms, entry_id
# -> {'busy'} | {'empty'} | {'defer', wait_ms} | {'go', fence, att_json, channel, broken, nid...}
# Safe to run twice (a client retry): the second run finds its own lease and re-schedules.
BEGIN = COMMON + _RELEASE + r"""
local dest, consumer, now, lease, entry = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
local lk = P..':lock:'..dest
local held = redis.call('PTTL', lk)
if held > 0 then
  -- another sender has this target: look again when its lease ends, whatever becomes of it
  later(dest, now + held + 100)
  ack(entry)
  return {'busy'}
end
local att = redis.call('GET', P..':att:'..dest)
if redis.call('ZCARD', KEYS[1]) == 0 and not att then ack(entry) return {'empty'} end
local wait = redis.call('PTTL', P..':gate:'..dest)
if wait > 0 then later(dest, now + wait) ack(entry) return {'defer', wait} end
local f = redis.call('INCR', P..':fence')
redis.call('SET', lk, consumer..'|'..f, 'PX', lease)
local tk = P..':target:'..dest
local out = {'go', f, att or '', redis.call('HGET', tk, 'channel') or '',
             redis.call('HGET', tk, 'broken') or ''}
for _, nid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do table.insert(out, nid) end
return out
"""

# KEYS[1] attempt(dest)
# ARGV: P, dest, owner ('<consumer>|<fence>'), margin_ms, att_json -> 1 go ahead, 0 lease lost
PREPOST = COMMON + r"""
local dest, owner, margin, att = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local lk = P..':lock:'..dest
if redis.call('GET', lk) ~= owner or redis.call('PTTL', lk) < margin then return 0 end
redis.call('SET', KEYS[1], att)
return 1
"""

# KEYS[1] pending(dest)
# ARGV: P, dest, owner, clear_att_fence, ts, channel, root_job, gate_ms, now_ms, entry_id, nid...
# Marks the nids sent with the message ts (also for a stale owner: the message exists), clears
# the attempt it resolves, paces the target, and - when `entry_id` is set - releases and acks.
# -> {notifications still queued, nids already sent as another message...}
COMMIT = COMMON + _RELEASE + r"""
local dest, owner, afence, ts, channel, root = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local gate, now, entry = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
local dups = {}
for i = 11, #ARGV do
  local nid = ARGV[i]
  local job = string.match(nid, '^([^|]*)|')
  local jk = P..':job:'..job
  local cur = redis.call('HGET', jk, 'n:'..nid)
  if cur and cur ~= 'q' and cur ~= 'x' and cur ~= ts and ts ~= '' then
    table.insert(dups, nid)
  elseif ts ~= '' and redis.call('EXISTS', jk) == 1 then
    redis.call('HSET', jk, 'n:'..nid, ts)
  end
  redis.call('ZREM', KEYS[1], nid)
end
local ak = P..':att:'..dest
local att = redis.call('GET', ak)
if att and afence ~= '' and tostring(cjson.decode(att)['fence']) == afence then
  redis.call('DEL', ak)
end
if root ~= '' and ts ~= '' then
  redis.call('HSETNX', P..':job:'..root, 'root:'..dest, channel..'|'..ts)
end
if gate > 0 then redis.call('SET', P..':gate:'..dest, '1', 'PX', gate) end
if entry ~= '' then
  release(dest, owner)
  ack(entry)
  if redis.call('ZCARD', KEYS[1]) > 0 then later(dest, now + math.max(gate, 1)) end
end
local out = {redis.call('ZCARD', KEYS[1])}
for _, nid in ipairs(dups) do table.insert(out, nid) end
return out
"""

# KEYS[1] pending(dest)
# ARGV: P, dest, owner, keep_att ('1' = outcome unknown), gate_ms, due_ms, entry_id
DEFER = COMMON + _RELEASE + r"""
local dest, owner, keep, gate, due, entry = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]),
  tonumber(ARGV[6]), ARGV[7]
local ak = P..':att:'..dest
local att = redis.call('GET', ak)
local fence = string.match(owner, '|(%d+)$')
if keep ~= '1' and att and tostring(cjson.decode(att)['fence']) == fence then
  redis.call('DEL', ak)
end
if gate > 0 then redis.call('SET', P..':gate:'..dest, '1', 'PX', gate) end
later(dest, due)
release(dest, owner)
ack(entry)
return 1
"""

# KEYS[1] pending(dest)
# ARGV: P, dest, owner, reason, now_ms, entry_id -> number of notifications dead-lettered
BROKEN = COMMON + _RELEASE + r"""
local dest, owner, reason, now, entry = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
redis.call('HSET', P..':target:'..dest, 'broken', reason, 'broken_at', now)
local nids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, nid in ipairs(nids) do
  redis.call('XADD', P..':dead', 'MAXLEN', '~', 10000, '*', 'nid', nid, 'dest', dest, 'reason', reason)
  local job = string.match(nid, '^([^|]*)|')
  local jk = P..':job:'..job
  if redis.call('EXISTS', jk) == 1 then redis.call('HSET', jk, 'n:'..nid, 'x') end
end
redis.call('DEL', KEYS[1], P..':att:'..dest)
release(dest, owner)
ack(entry)
return #nids
"""

# KEYS[1] retry()
# ARGV: P, now_ms, limit -> targets woken
PUMP = COMMON + r"""
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, dest in ipairs(due) do
  redis.call('ZREM', KEYS[1], dest)
  redis.call('XADD', P..':outbox', '*', 'dest', dest)
end
return #due
"""
