"""Lua for the poller: claim a key's poll, observe statuses (compare-and-set + enqueue), finish.

OBSERVE is the transactional outbox: the status compare-and-set, the
occurrence counter, the per-target dedupe mark ``n:<nid>``, the pending set
and the outbox wake-up are written in one atomic step, so replicas that
observe the same transition at once (or a retried call) enqueue it once.
"""

from __future__ import annotations

from .lua import script
from .lua_quiet import CATCHUP, SNIPPETS
from .sub_record import LUA_REC_KREF

CLAIM_POLL_KEYS = ("poll_due",)
# KEYS: poll_due
# ARGV: now_ms, lease_ms, limit -> flat list {key_ref, fence, ...}
CLAIM_POLL = script(
    CLAIM_POLL_KEYS,
    r"""
local now, lease, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for _, kref in ipairs(redis.call('ZRANGEBYSCORE', KEY_poll_due, '-inf', now, 'LIMIT', 0, limit)) do
  redis.call('ZADD', KEY_poll_due, 'XX', now + lease, kref)
  local f = redis.call('HINCRBY', K.poll_state(kref), 'fence', 1)
  table.insert(out, kref)
  table.insert(out, f)
end
return out
""",
)

FINISH_POLL_KEYS = ("poll_due", "poll_state", "watch", "all_subs")
# KEYS: poll_due, poll_state(key_ref), watch(key_ref), all_subs(key_ref)
# ARGV: key_ref, fence, next_due_ms, errors, done ('1': the poll is over, not just extended),
#       now_ms -> 1 rescheduled, 0 not ours, 2 nothing left to watch
# A poll that completed without an error ends the key's catch-up (``catchup``): what its
# subscriptions missed while it was paused is told, as one summary per target.
FINISH_POLL = script(
    FINISH_POLL_KEYS,
    SNIPPETS
    + CATCHUP
    + r"""
local kref, fence, due, errors = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', KEY_poll_state, 'fence') ~= fence then return 0 end
redis.call('HSET', KEY_poll_state, 'errors', errors)
if ARGV[5] == '1' and errors == '0' then end_catchup(kref, tonumber(ARGV[6])) end
if redis.call('ZCARD', KEY_watch) == 0 and redis.call('HLEN', KEY_all_subs) == 0 then
  redis.call('ZREM', KEY_poll_due, kref)
  return 2
end
redis.call('ZADD', KEY_poll_due, 'XX', due, kref)
return 1
""",
)

OBSERVE_KEYS = ("watch", "all_subs", "poll_pages", "outbox")
# KEYS: watch(key_ref), all_subs(key_ref), poll_pages(key_ref), outbox
# ARGV: key_ref, now_ms, finished_ttl_s, dead key_refs CSV (their subscriptions are paused:
#   their changes are held, told when the key works again), then 6 per job:
#   job_id, status, ver_ms, created_ms, snapshot_json, fresh ('1' = no stored status yet still
#   means a transition: a subscribed job whose state was lost, or a job created after
#   `subscribe all`)
# -> per job: -1 stale, 0 unchanged, 2 baseline recorded, 1 transition (+ notifications enqueued),
#    then how many notifications were queued in all
# Per target of a transition: filtered out, target broken, paused (held), muted (dropped),
# snoozed (held), caught up (held until the key's catch-up ends) or queued; each is written to
# the job's history, and an outcome to the target's activity (daily summaries).
# While the key has a `subscribe all`, every job it observes is marked ``all:<key_ref>`` (the
# poller also passes an unchanged job the mark is missing on).
OBSERVE = script(
    OBSERVE_KEYS,
    SNIPPETS
    + LUA_REC_KREF
    + r"""
local kref, now, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local dead = {}
for ref in string.gmatch(ARGV[4], '[^,]+') do dead[ref] = true end
local catching = {}
for _, ref in ipairs(redis.call('HKEYS', K.catchup())) do catching[ref] = true end
local woken = {}
local res = {}
local queued = 0
local function wake(dest)
  if not woken[dest] then
    woken[dest] = true
    redis.call('XADD', KEY_outbox, '*', 'dest', dest)
  end
end
local function wants(events, status)
  return string.find(','..events..',', ','..status..',', 1, true) ~= nil
end
for i = 5, #ARGV, 6 do
  local job, status, ver, created, snap, fresh =
    ARGV[i], ARGV[i+1], tonumber(ARGV[i+2]), ARGV[i+3], ARGV[i+4], ARGV[i+5]
  local jk = K.job(job)
  local cur = redis.call('HGET', jk, 'status')
  local curver = tonumber(redis.call('HGET', jk, 'ver') or '0')
  local r
  if cur and ver < curver then
    r = -1
  elseif cur == status then
    redis.call('HSET', jk, 'ver', ver)
    r = 0
  elseif (not cur) and fresh ~= '1' then
    redis.call('HSET', jk, 'status', status, 'ver', ver)
    r = 2
  else
    redis.call('HSET', jk, 'status', status, 'ver', ver)
    local occ = redis.call('HINCRBY', jk, 'occ:'..status, 1)
    redis.call('HSET', jk, 'snap:'..status..':'..occ, snap)
    -- every target of the change: its events, whether it subscribed to this very job, and the
    -- key its subscription polls with. One whose key is dead is paused: its changes are held
    -- and told once the key works again (as is any change seen while a key catches up)
    local targets, via_job, kref_of = {}, {}, {}
    local js = redis.call('HGETALL', K.job_subs(job))
    for k = 1, #js, 2 do
      local rec = redis.call('HGET', K.dest_subs(js[k]), job)
      targets[js[k]] = js[k+1]
      via_job[js[k]] = true
      kref_of[js[k]] = rec and rec_kref(rec) or kref
    end
    -- the `subscribe all` targets of this key and of every key that saw the job under one
    -- (``all:<key_ref>``), whichever key's poll records the change
    local refs = {[kref] = true}
    for _, f in ipairs(redis.call('HKEYS', jk)) do
      if string.sub(f, 1, 4) == 'all:' then refs[string.sub(f, 5)] = true end
    end
    for ref in pairs(refs) do
      local as = redis.call('HGETALL', K.all_subs(ref))
      for k = 1, #as, 2 do
        local ev = string.match(as[k+1], '^(.*)|')
        local d = as[k]
        if targets[d] then targets[d] = targets[d]..','..ev else targets[d] = ev end
        -- a live key wins over a paused one for a target that has both
        if not kref_of[d] or dead[kref_of[d]] then kref_of[d] = ref end
      end
    end
    if status ~= 'needs_review' then
      -- out of review: a claim of it, and its pending reminder, are over
      redis.call('HDEL', K.claims(), job)
      redis.call('ZREM', K.review_due(), job)
    end
    local name = tostring(cjson.decode(snap)['name'] or '')
    local outcome = terminal(status) or status == 'needs_review'
    if name ~= '' then redis.call('HSET', jk, 'name', name) end
    for dest, events in pairs(targets) do
      local nid = job..'|'..status..'|'..occ..'|'..dest
      local ref = kref_of[dest]
      local what
      if not wants(events, status) then
        what = 'filtered'
      elseif redis.call('HGET', K.target(dest), 'broken') then
        what = 'broken'
      elseif dead[ref] then
        what = hold(jk, nid, dest, 'p:'..ref) and 'paused' or 'repeat'
      else
        local q, scope = quieted(dest, job, via_job[dest], tonumber(now))
        if q == 'mute' then
          what = redis.call('HSETNX', jk, 'n:'..nid, 'm') == 1 and 'muted' or 'repeat'
        elseif q == 'snooze' then
          what = hold(jk, nid, dest, 's:'..scope) and 'snoozed' or 'repeat'
        elseif catching[ref] then
          what = hold(jk, nid, dest, 'p:'..ref) and 'caught_up' or 'repeat'
        elseif redis.call('HSETNX', jk, 'n:'..nid, 'q') == 1 then
          redis.call('ZADD', K.pending(dest), 'NX', now, nid)
          wake(dest)
          queued = queued + 1
          what = 'queued'
        else
          what = 'repeat'
        end
      end
      if what ~= 'repeat' then
        log_entry(job, {t = tonumber(now), st = status, o = occ, d = dest, w = what})
      end
      if outcome then
        redis.call('XADD', K.activity(dest), 'MAXLEN', '~', ACTIVITY_MAX, '*',
                   'j', job, 's', status, 'n', name)
      end
      -- a finished job's mute is over (a snooze ends by itself, telling what it held)
      if terminal(status) then
        local q = redis.call('HGET', K.snoozes(dest), job)
        if q and tonumber(cjson.decode(q)['u'] or '0') == 0 then
          redis.call('HDEL', K.snoozes(dest), job)
        end
      end
    end
    r = 1
  end
  if r >= 0 then
    local st = redis.call('HGET', jk, 'status')
    if terminal(st) then
      redis.call('ZREM', KEY_watch, job)
      redis.call('HDEL', KEY_poll_pages, job)
      -- every other key its subscriptions polled with stops watching it too
      for _, f in ipairs(redis.call('HKEYS', jk)) do
        if string.sub(f, 1, 3) == 'kr:' then
          redis.call('ZREM', K.watch(string.sub(f, 4)), job)
          redis.call('HDEL', K.poll_pages(string.sub(f, 4)), job)
          redis.call('HDEL', jk, f)
        end
      end
      local js = redis.call('HGETALL', K.job_subs(job))
      for k = 1, #js, 2 do
        -- kept with the finished job (its TTL), with their events: a Retry copies them
        local dest = js[k]
        local rec = redis.call('HGET', K.dest_subs(dest), job)
        if rec then redis.call('HSET', jk, 'sub:'..dest, rec, 'sev:'..dest, js[k+1]) end
        redis.call('HDEL', K.dest_subs(dest), job)
      end
      redis.call('DEL', K.job_subs(job))
      redis.call('EXPIRE', jk, ttl)
    else
      local hasall = redis.call('EXISTS', KEY_all_subs) == 1
      -- seen under this key's `subscribe all`: its targets hear of the job's changes even
      -- when another key's poll records them
      if hasall then redis.call('HSET', jk, 'all:'..kref, '1') end
      if hasall or tonumber(redis.call('HGET', jk, 'kr:'..kref) or '0') > 0 then
        redis.call('ZADD', KEY_watch, created, job)
      end
    end
  end
  table.insert(res, r)
end
table.insert(res, queued)
return res
""",
)
