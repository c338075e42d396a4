"""Lua for subscriptions: subscribe and unsubscribe, each one atomic step.

Every key named by the call's arguments comes in ``KEYS`` (``KEY_<name>``);
keys found while running (the jobs of a watch set) are built with the
``K.*`` shapes generated from ``keys.py`` (see ``lua.py``). All of them share
the ``{notify}`` hash tag, so the scripts also run on Redis Cluster.
"""

from __future__ import annotations

from .lua import script
from .lua_quiet import SNIPPETS
from .sub_record import LUA_REC_KREF

# One job subscription fewer polls with ``kref``: when none is left (and no ``subscribe all`` of
# that key keeps the job in view), the key stops watching the job. True when it did.
_RELEASE = r"""
local function release(jk, job, kref)
  if redis.call('HINCRBY', jk, 'kr:'..kref, -1) > 0 then return false end
  redis.call('HDEL', jk, 'kr:'..kref)
  if redis.call('HLEN', K.all_subs(kref)) > 0 then return false end
  redis.call('ZREM', K.watch(kref), job)
  redis.call('HDEL', K.poll_pages(kref), job)
  return true
end
"""

SUBSCRIBE_JOB_KEYS = ("dest_subs", "job_subs", "target", "job", "watch", "poll_due")
# KEYS: dest_subs(dest), job_subs(job), target(dest), job(job), watch(key_ref), poll_due
# ARGV: dest, job_id, record (sub_record), events_csv, key_ref, created_ms, status, ver, now_ms,
#   job name -> {created(0/1), previous_events or ''}
SUBSCRIBE_JOB = script(
    SUBSCRIBE_JOB_KEYS,
    _RELEASE
    + SNIPPETS
    + LUA_REC_KREF
    + r"""
local dest, job, rec, events, kref = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local created, status, ver, now = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local prev = redis.call('HGET', KEY_job_subs, dest)
local old = redis.call('HGET', KEY_dest_subs, job)
local oldref = old and rec_kref(old)
redis.call('HSET', KEY_dest_subs, job, rec)
redis.call('HSET', KEY_job_subs, dest, events)
redis.call('HSET', KEY_job, 'name', ARGV[10])
redis.call('HDEL', KEY_target, 'broken', 'broken_at', 'reported')
if redis.call('HSETNX', KEY_job, 'status', status) == 1 then
  redis.call('HSET', KEY_job, 'ver', ver)
end
redis.call('PERSIST', KEY_job)
-- this target's subscription now polls with kref (re-subscribing may change whose key it is)
if oldref ~= kref then
  redis.call('HINCRBY', KEY_job, 'kr:'..kref, 1)
  if oldref then release(KEY_job, job, oldref) end
end
if not terminal(redis.call('HGET', KEY_job, 'status')) then
  redis.call('ZADD', KEY_watch, created, job)
  redis.call('ZADD', KEY_poll_due, 'NX', now, kref)
end
-- subscribing again ends a snooze or mute of the job here (what was held is told)
if redis.call('HDEL', K.snoozes(dest), job) == 1 then
  redis.call('ZREM', K.snooze_due(), dest..'|'..job)
  release_held(dest, 's:'..job, 'snooze', tonumber(now))
end
if prev then return {0, prev} end
return {1, ''}
""",
)

SUBSCRIBE_ALL_KEYS = ("dest_subs", "all_subs", "target", "poll_due")
# KEYS: dest_subs(dest), all_subs(key_ref), target(dest), poll_due
# ARGV: dest, key_ref, record (sub_record), all_value ('<events>|<since ms>'), now_ms
#   -> {created, prev}
SUBSCRIBE_ALL = script(
    SUBSCRIBE_ALL_KEYS,
    SNIPPETS
    + r"""
local dest, kref, rec, val, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local prev = redis.call('HGET', KEY_all_subs, dest)
redis.call('HSET', KEY_dest_subs, '*:'..kref, rec)
if prev then
  -- keep the original 'since' so jobs created in between are not forgotten
  local since = string.match(prev, '|(%d+)$')
  local events = string.match(val, '^(.*)|')
  val = events..'|'..since
end
redis.call('HSET', KEY_all_subs, dest, val)
redis.call('HDEL', KEY_target, 'broken', 'broken_at', 'reported')
redis.call('ZADD', KEY_poll_due, 'NX', now, kref)
if redis.call('HDEL', K.snoozes(dest), '*') == 1 then
  redis.call('ZREM', K.snooze_due(), dest..'|*')
  release_held(dest, 's:*', 'snooze', tonumber(now))
end
if prev then return {0, string.match(prev, '^(.*)|')} end
return {1, ''}
""",
)

UNSUBSCRIBE_JOB_KEYS = ("dest_subs", "job_subs", "pending", "job")
# KEYS: dest_subs(dest), job_subs(job), pending(dest), job(job)
# ARGV: dest, job_id, finished_ttl_s -> 1 removed / 0 was not subscribed
# The target's queued and held notifications about the job (nids '<job>|…') are dropped, and
# its snooze or mute of the job ends.
UNSUBSCRIBE_JOB = script(
    UNSUBSCRIBE_JOB_KEYS,
    _RELEASE
    + SNIPPETS
    + LUA_REC_KREF
    + r"""
local dest, job = ARGV[1], ARGV[2]
local rec = redis.call('HGET', KEY_dest_subs, job)
if not rec then return 0 end
redis.call('HDEL', KEY_dest_subs, job)
redis.call('HDEL', KEY_job_subs, dest)
for _, nid in ipairs(redis.call('ZRANGE', KEY_pending, 0, -1)) do
  if string.sub(nid, 1, #job + 1) == job..'|' then
    redis.call('ZREM', KEY_pending, nid)
    redis.call('HDEL', K.batched(dest), nid)
  end
end
-- and what a snooze held of it, and the snooze itself
for _, nid in ipairs(redis.call('HKEYS', K.held(dest))) do
  if string.sub(nid, 1, #job + 1) == job..'|' then redis.call('HDEL', K.held(dest), nid) end
end
redis.call('HDEL', K.snoozes(dest), job)
redis.call('ZREM', K.snooze_due(), dest..'|'..job)
local unwatched = release(KEY_job, job, rec_kref(rec))
if unwatched and redis.call('HLEN', KEY_job_subs) == 0 then
  -- nobody listens any more: the job's state goes away like a finished job's
  redis.call('EXPIRE', KEY_job, tonumber(ARGV[3]))
end
return 1
""",
)

UNSUBSCRIBE_ALL_KEYS = ("dest_subs", "all_subs", "watch", "poll_pages")
# KEYS: dest_subs(dest), all_subs(key_ref), watch(key_ref), poll_pages(key_ref)
# ARGV: dest, key_ref -> 1 removed / 0 was not subscribed (and its every-job snooze ends)
UNSUBSCRIBE_ALL = script(
    UNSUBSCRIBE_ALL_KEYS,
    r"""
local dest, kref = ARGV[1], ARGV[2]
if redis.call('HDEL', KEY_dest_subs, '*:'..kref) == 0 then return 0 end
redis.call('HDEL', KEY_all_subs, dest)
-- a snooze of what the every-job subscriptions brought ends with them, and what it held goes
local held = redis.call('HGETALL', K.held(dest))
for i = 1, #held, 2 do
  if held[i + 1] == 's:*' then redis.call('HDEL', K.held(dest), held[i]) end
end
redis.call('HDEL', K.snoozes(dest), '*')
redis.call('ZREM', K.snooze_due(), dest..'|*')
if redis.call('HLEN', KEY_all_subs) == 0 then
  for _, job in ipairs(redis.call('ZRANGE', KEY_watch, 0, -1)) do
    -- kept while a job subscription made with this key still watches the job
    if tonumber(redis.call('HGET', K.job(job), 'kr:'..kref) or '0') <= 0 then
      redis.call('ZREM', KEY_watch, job)
      redis.call('HDEL', KEY_poll_pages, job)
    end
  end
end
return 1
""",
)
