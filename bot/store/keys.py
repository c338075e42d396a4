"""Every Redis key shape the bot uses, in one place.

Keys carry a ``{hash tag}`` so that keys touched together by one script or
MULTI land in the same Redis Cluster slot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.values import Dest, KeyRef

PREFIX = "datajobs"


# --- identity -------------------------------------------------------------
def linked_keys() -> str:
    """HASH Slack user id -> Fernet token of that person's linked SeekrFlow key (JSON)."""
    return f"{PREFIX}:{{identity}}:linked"


def dead_key_refs() -> str:
    """HASH key_ref -> JSON {reason, ts}: keys found not to work; the pause was announced once.

    While a key_ref is here, the subscriptions made with it are paused: it is not polled, and a
    change of one of its jobs seen with another key enqueues nothing for them (they are not told
    later either). Deleted when a working key is linked again (login, or the team key fixed).
    """
    return f"{PREFIX}:{{identity}}:dead"


def audit_stream() -> str:
    """STREAM of audit entries (rename, cancel, subscribe, login, logout, pause).

    Capped by XADD MAXLEN ~."""
    return f"{PREFIX}:{{audit}}:log"


# --- subscriptions and notifications ---------------------------------------
# Every key below carries the one tag ``{notify}``: the watcher's Lua scripts
# touch subscriptions, job state, the outbox stream and delivery state in one
# call, so they must share a Cluster slot. The whole workload is far below one
# Redis core, so one slot costs nothing.
#
# Words used below:
#   dest     a notification target: ``u:<slack user id>`` (DM) or ``c:<channel id>``
#   key_ref  the SeekrFlow key a subscription polls with: ``team`` or ``user:<slack user id>``.
#            Each subscription keeps its own; a job is watched with every key_ref among its
#            live subscriptions, and the status compare-and-set is per job, so whichever key
#            sees a change first records it once for all of them.
#   nid      notification id ``<job id>|<status>|<occurrence>|<dest>``: the same
#            transition always gets the same nid, so a repeat is recognised
NOTIFY = f"{PREFIX}:{{notify}}"


def dest_subs(dest: Dest) -> str:
    """HASH scope -> ``<key_ref>|<by>|<at ms>`` (``sub_record.py``; older records are JSON);
    scope is a job id or ``*:<key_ref>`` (all jobs). The events live in ``job_subs`` /
    ``all_subs``, the job's name in ``job``.

    What one target is subscribed to (``subscriptions``, ``unsubscribe``). Lives until unsubscribed.
    """
    return f"{NOTIFY}:subs:{dest}"


def job_subs(job_id: str) -> str:
    """HASH dest -> events CSV: who hears about one job. Deleted with its last subscriber."""
    return f"{NOTIFY}:jobsubs:{job_id}"


def all_subs(key_ref: KeyRef) -> str:
    """HASH dest -> ``<events CSV>|<since ms>``: ``subscribe all`` targets of one SeekrFlow key."""
    return f"{NOTIFY}:allsubs:{key_ref}"


def watch(key_ref: KeyRef) -> str:
    """ZSET job id -> created_at (ms): unfinished subscribed jobs this key must poll.

    A job is in the watch set of every key_ref one of its subscriptions was made with (or whose
    ``subscribe all`` covers it). It leaves this key's set when it finishes (every key's set at
    once) or when the last subscription made with this key is gone (``kr:<key_ref>`` reaches 0).
    """
    return f"{NOTIFY}:watch:{key_ref}"


def job(job_id: str) -> str:
    """HASH of one watched job:

    - ``kr:<key_ref>``: how many live subscriptions to the job poll with that key (kept by the
      subscribe/unsubscribe scripts);
    - ``status``, ``ver`` (updated_at ms of the newest observation applied), ``occ:<status>``
      (how often it entered that status), ``snap:<status>:<occ>`` (JSON the notification is
      rendered from);
    - ``n:<nid>``: ``q`` queued, ``h`` held by a snooze or a paused key, ``m`` muted, ``x``
      dead-lettered, or the message ts once sent;
    - ``root:<dest>``: ``<channel>|<ts>`` of the job's first message in a channel (its thread);
      ``live:<dest>``: ``<percent>|<eta min>`` that root last showed while the job ran;
      ``run_seen``, ``eta_ms``: when it was first seen running and the ETA it had then;
      ``slow``: its one "looks slow" note was posted; ``reminded``: its one review reminder;
    - ``name``: the job's name as last seen (subscribe, a status change);
    - ``sub:<dest>``, ``sev:<dest>``: once the job finished, the subscription record and events
      it had there (a Retry copies them to the new job);
    - ``all:<key_ref>``: ``1`` once that key's poll saw the job while the key had a ``subscribe
      all``, so a change recorded by any key's poll also goes to that key's ``all_subs`` targets
      (left in place when they are gone: an empty ``all_subs`` adds no one).

    Expires ``FINISHED_TTL`` after the job finishes.
    """
    return f"{NOTIFY}:job:{job_id}"


def poll_due() -> str:
    """ZSET key_ref -> next poll time (ms). Also the poll lease: a claim moves the score to
    now + lease, so a replica that dies mid-poll just lets the key come due again."""
    return f"{NOTIFY}:poll:due"


def poll_state(key_ref: KeyRef) -> str:
    """HASH ``fence`` (claim counter), ``errors`` (consecutive failures), ``newest`` (created_at
    ms of
    the newest job seen, for ``all``), ``paused`` (why polling stopped, e.g. a rejected key)."""
    return f"{NOTIFY}:poll:st:{key_ref}"


def poll_pages(key_ref: KeyRef) -> str:
    """HASH job id -> list page (0-based) the job was last seen on; guides how deep to read."""
    return f"{NOTIFY}:poll:pos:{key_ref}"


def outbox() -> str:
    """STREAM (group ``OUTBOX_GROUP``) of wake-ups ``dest=<dest>``: this target has notifications
    pending. Acknowledged only after Slack accepted them (or the target is known broken).
    Trimmed by MINID below the oldest pending entry, never by plain MAXLEN."""
    return f"{NOTIFY}:outbox"


OUTBOX_GROUP = "senders"
DEAD_MAXLEN = 10_000
"""About how many dead-lettered notifications ``dead()`` keeps (XADD MAXLEN ~)."""


def pending(dest: Dest) -> str:
    """ZSET nid -> enqueue time (ms): notifications of one target not yet in Slack."""
    return f"{NOTIFY}:pend:{dest}"


def target(dest: Dest) -> str:
    """HASH about one target: ``channel`` (the D… id of a DM, once opened), ``broken`` (reason),
    ``broken_at`` (ms), ``reported`` (1 once the breakage was told to someone)."""
    return f"{NOTIFY}:target:{dest}"


def lock(dest: Dest) -> str:
    """STRING ``<consumer>|<fence>`` with PX: one sender at a time per target (delivery lease)."""
    return f"{NOTIFY}:lock:{dest}"


def attempt(dest: Dest) -> str:
    """STRING JSON {fence, nids, first_ms, thread}: written BEFORE a post is attempted, deleted when
    its outcome is known. Present at the next start = outcome unknown -> check Slack's history for
    the nids (message metadata) before posting again."""
    return f"{NOTIFY}:att:{dest}"


def fence() -> str:
    """STRING counter: monotonic fencing tokens for delivery leases."""
    return f"{NOTIFY}:fence"


def retry() -> str:
    """ZSET dest -> due time (ms): targets to wake later (Slack 429, pacing, unknown outcome)."""
    return f"{NOTIFY}:retry"


def gate(dest: Dest) -> str:
    """STRING with PX: no post to this target before it expires (1 msg/s pacing, Retry-After)."""
    return f"{NOTIFY}:gate:{dest}"


def dead() -> str:
    """STREAM (MAXLEN ~ ``DEAD_MAXLEN``) of notifications that could not be delivered (broken
    targets)."""
    return f"{NOTIFY}:dead"


def heartbeat(replica: str) -> str:
    """STRING with PX: a replica's watcher and delivery loops are alive (``/healthz``)."""
    return f"{NOTIFY}:hb:{replica}"


def epoch() -> str:
    """STRING, a random id written once (SET NX) when the first watcher starts: an operator
    who finds it missing knows the notification state was lost, not merely idle."""
    return f"{NOTIFY}:epoch"


def clock() -> str:
    """STRING: the wall time (ms) a replica last wrote the notification state (every heartbeat).
    Found much older than the heartbeat interval, the state went back in time: Redis was
    restored from an older snapshot, or every replica was stopped for a while."""
    return f"{NOTIFY}:clock"


def generation() -> str:
    """STRING counter, INCR just before each post to Slack. It only grows: a replica that reads
    a value below one it has seen knows Redis went back to an older snapshot."""
    return f"{NOTIFY}:gen"


def restore_window() -> str:
    """STRING JSON {id, since_ms, until_ms, at_ms, reason, gone_ms} with PX: while ``until_ms``
    is ahead, every post is first checked against its conversation's messages since
    ``since_ms`` (their metadata), so what Slack already shows is not posted again."""
    return f"{NOTIFY}:restore"


# --- quieting, history, schedules ---------------------------------------------
def snoozes(dest: Dest) -> str:
    """HASH scope -> JSON {u: until ms (0 = muted until unmuted), by, at}: what this target has
    quieted. scope is a job id, or ``*`` (what its every-job subscriptions bring)."""
    return f"{NOTIFY}:snooze:{dest}"


def snooze_due() -> str:
    """ZSET ``<dest>|<scope>`` -> until ms: timed snoozes, woken when they end."""
    return f"{NOTIFY}:snooze:due"


def held(dest: Dest) -> str:
    """HASH nid -> why it is held: ``s:<scope>`` (snoozed) or ``p:<key_ref>`` (its key was
    paused). The nid's mark is ``h``; released into ``pending`` as one summary."""
    return f"{NOTIFY}:held:{dest}"


def held_for_key(key_ref: KeyRef) -> str:
    """SET of dests holding changes for ``key_ref``'s paused subscriptions (told on catch-up)."""
    return f"{NOTIFY}:heldkey:{key_ref}"


def catchup() -> str:
    """HASH key_ref -> ms it was revived: its next complete poll ends the catch-up, and the
    changes its subscriptions missed are told as one summary."""
    return f"{NOTIFY}:catchup"


def batched(dest: Dest) -> str:
    """HASH nid -> label (``snooze`` / ``catchup``): pending notifications released together,
    told as one summary message. Removed when sent."""
    return f"{NOTIFY}:batch:{dest}"


def job_log(job_id: str) -> str:
    """LIST of JSON {t, st, o, d, w, c?, ts?}, newest first, at most ``JOB_LOG_MAX``: each status
    change of the job the bot saw, per target, and what it did (``/datajobs why``). Expires
    ``FINISHED_TTL_S`` after its last entry."""
    return f"{NOTIFY}:log:{job_id}"


JOB_LOG_MAX = 100


def activity(dest: Dest) -> str:
    """STREAM (MAXLEN ~ ``ACTIVITY_MAX``) of ``j, s, n``: outcomes of the target's subscribed jobs
    (finished, needs review), for its daily summary."""
    return f"{NOTIFY}:act:{dest}"


ACTIVITY_MAX = 2000


def daily() -> str:
    """HASH dest -> JSON {at: 'HH:MM', tz, by}: daily summaries."""
    return f"{NOTIFY}:daily"


def daily_due() -> str:
    """ZSET dest -> next summary time (ms); a claim moves it a lease ahead (like polls)."""
    return f"{NOTIFY}:daily:due"


def progress_gate(dest: Dest, job_id: str) -> str:
    """STRING with PX: the job's thread root in this channel was updated with its progress less
    than a minute ago."""
    return f"{NOTIFY}:prog:{dest}:{job_id}"


def update_budget(minute: int) -> str:
    """STRING counter with EX: ``chat.update`` calls this minute, across replicas (Slack's Tier 3
    allows about 50 a minute per workspace); progress updates stop short of it."""
    return f"{NOTIFY}:updates:{minute}"


def retry_of(job_id: str) -> str:
    """STRING JSON {by, at_ms, clone?} with EX: a Retry of this job was clicked. Set before the
    clone is asked for (NX: one at a time); a clone whose outcome was lost is looked for (a job
    whose ``origin_data_job_id`` is this one, created after ``at_ms``) before any new clone."""
    return f"{NOTIFY}:retry:{job_id}"


def autostart() -> str:
    """HASH clone job id -> key_ref: start it with that key once it is ``ready_to_start``."""
    return f"{NOTIFY}:autostart"


def claims() -> str:
    """HASH job id -> JSON {by, at}: who is on a job that needs review (Claim / Unclaim); OBSERVE
    removes it when the job leaves review."""
    return f"{NOTIFY}:claims"


def review_due() -> str:
    """ZSET job id -> when (ms) a job still in review, unclaimed, gets its one reminder; the job
    hash's ``reminded`` field makes it one."""
    return f"{NOTIFY}:review:due"


FINISHED_TTL_S = 7 * 24 * 3600
"""How long a finished job's state (threads, sent marks) is kept."""


# --- App Home ---------------------------------------------------------------
def home_jobs(user_id: str) -> str:
    """STRING JSON with EX: what one person's Home last read from SeekrFlow (their jobs and the
    progress of the running ones), so opening Home again within seconds reads nothing."""
    return f"{PREFIX}:home:{{{user_id}}}"
