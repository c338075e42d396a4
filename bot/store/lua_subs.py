"""Lua for subscriptions: subscribe and unsubscribe, each one atomic step.

Every script takes the key prefix (``keys.NOTIFY``) as ARGV[1] and builds the
other key names from it; all of them share the ``{notify}`` hash tag, so the
scripts also run on Redis Cluster. KEYS[1] is always a real key, so a Cluster
client routes the call to the right node.
"""

from __future__ import annotations

# Shared helpers, prepended to every script that needs them.
COMMON = r"""
local P = ARGV[1]
local function terminal(s)
  return s == 'completed' or s == 'failed' or s == 'cancelled' or s == 'stopped'
end
"""

# One job subscription fewer polls with ``kref``: when none is left (and no ``subscribe all`` of
# that key keeps the job in view), the key stops watching the job. True when it did.
_RELEASE = r"""
local function release(job, kref)
  local jk = P..':job:'..job
  if redis.call('HINCRBY', jk, 'kr:'..kref, -1) > 0 then return false end
  redis.call('HDEL', jk, 'kr:'..kref)
  if redis.call('HLEN', P..':allsubs:'..kref) > 0 then return false end
  redis.call('ZREM', P..':watch:'..kref, job)
  redis.call('HDEL', P..':poll:pos:'..kref, job)
  return true
end
"""

# KEYS[1] dest_subs(dest)
# ARGV: P, dest, job_id, record_json, events_csv, key_ref, created_ms, status, ver, now_ms
# -> {created(0/1), previous_events or ''}
SUBSCRIBE_JOB = COMMON + _RELEASE + r"""
local dest, job, rec, events, kref = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local created, status, ver, now = ARGV[7], ARGV[8], ARGV[9], ARGV[10]
local prev = redis.call('HGET', P..':jobsubs:'..job, dest)
local old = redis.call('HGET', KEYS[1], job)
local oldref = old and cjson.decode(old)['key_ref']
redis.call('HSET', KEYS[1], job, rec)
redis.call('HSET', P..':jobsubs:'..job, dest, events)
redis.call('HDEL', P..':target:'..dest, 'broken', 'broken_at', 'reported')
local jk = P..':job:'..job
if redis.call('HSETNX', jk, 'status', status) == 1 then
  redis.call('HSET', jk, 'ver', ver)
end
redis.call('PERSIST', jk)
-- this target's subscription now polls with kref (re-subscribing may change whose key it is)
if oldref ~= kref then
  redis.call('HINCRBY', jk, 'kr:'..kref, 1)
  if oldref then release(job, oldref) end
end
if not terminal(redis.call('HGET', jk, 'status')) then
  redis.call('ZADD', P..':watch:'..kref, created, job)
  redis.call('ZADD', P..':poll:due', 'NX', now, kref)
end
if prev then return {0, prev} end
return {1, ''}
"""

# KEYS[1] dest_subs(dest)
# ARGV: P, dest, key_ref, record_json, all_value ('<events>|<since ms>'), now_ms -> {created, prev}
SUBSCRIBE_ALL = COMMON + r"""
local dest, kref, rec, val, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local prev = redis.call('HGET', P..':allsubs:'..kref, dest)
redis.call('HSET', KEYS[1], '*:'..kref, rec)
if prev then
  -- keep the original 'since' so jobs created in between are not forgotten
  local since = string.match(prev, '|(%d+)$')
  local events = string.match(val, '^(.*)|')
  val = events..'|'..since
end
redis.call('HSET', P..':allsubs:'..kref, dest, val)
redis.call('HDEL', P..':target:'..dest, 'broken', 'broken_at', 'reported')
redis.call('ZADD', P..':poll:due', 'NX', now, kref)
if prev then return {0, string.match(prev, '^(.*)|')} end
return {1, ''}
"""

# Drop a target's queued notifications about one job (prefix '<job>|'), or all of them.
_DROP_PENDING = r"""
local function drop_pending(dest, job)
  local pk = P..':pend:'..dest
  for _, nid in ipairs(redis.call('ZRANGE', pk, 0, -1)) do
    if job == '' or string.sub(nid, 1, #job + 1) == job..'|' then
      redis.call('ZREM', pk, nid)
    end
  end
end
"""

# KEYS[1] dest_subs(dest)
# ARGV: P, dest, job_id, finished_ttl_s -> 1 removed / 0 was not subscribed
UNSUBSCRIBE_JOB = COMMON + _DROP_PENDING + _RELEASE + r"""
local dest, job = ARGV[2], ARGV[3]
local rec = redis.call('HGET', KEYS[1], job)
if not rec then return 0 end
redis.call('HDEL', KEYS[1], job)
local jsk = P..':jobsubs:'..job
redis.call('HDEL', jsk, dest)
drop_pending(dest, job)
local unwatched = release(job, cjson.decode(rec)['key_ref'])
if unwatched and redis.call('HLEN', jsk) == 0 then
  -- nobody listens any more: the job's state goes away like a finished job's
  redis.call('EXPIRE', P..':job:'..job, tonumber(ARGV[4]))
end
return 1
"""

# KEYS[1] dest_subs(dest)
# ARGV: P, dest, key_ref -> 1 removed / 0 was not subscribed
UNSUBSCRIBE_ALL = COMMON + r"""
local dest, kref = ARGV[2], ARGV[3]
if redis.call('HDEL', KEYS[1], '*:'..kref) == 0 then return 0 end
local ak = P..':allsubs:'..kref
redis.call('HDEL', ak, dest)
if redis.call('HLEN', ak) == 0 then
  local wk = P..':watch:'..kref
  for _, job in ipairs(redis.call('ZRANGE', wk, 0, -1)) do
    -- kept while a job subscription made with this key still watches the job
    if tonumber(redis.call('HGET', P..':job:'..job, 'kr:'..kref) or '0') <= 0 then
      redis.call('ZREM', wk, job)
      redis.call('HDEL', P..':poll:pos:'..kref, job)
    end
  end
end
return 1
"""
