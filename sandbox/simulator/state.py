"""`Simulator`: the whole simulated SeekrFlow — keys, jobs, clock, faults, request log.

Every method is synchronous and takes one lock, so the HTTP handlers stay thin and
the state is safe whether it is touched from the server loop or a test thread.
The lifecycle clock is lazy: jobs are brought up to the clock's `now` whenever they
are read, so autoplay needs no busy loop and a tick replays every transition.
The clock itself follows the wall clock (plus any ticks) so timestamps stay
believable; `speed` shortens every planned duration instead.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

from . import lifecycle, wire
from .catalog import CANCELLABLE
from .factory import FileSpec, Ids, build_job
from .faults import Faults
from .records import KeyInfo, Plan, SimFile, SimJob
from .seed import ambient_job, seed_jobs

MAIN_USER, OTHER_KEY, OTHER_USER = "user-sim", "sim-key-other", "user-other"
LOG_LIMIT = 10_000


class JobNotFound(Exception):
    pass


class InputsLocked(Exception):
    pass


class WrongState(Exception):
    """409: the job's status (or its files) do not allow this; the message says why."""


class NotCancellable(Exception):
    pass


class Simulator:
    def __init__(
        self,
        *,
        api_key: str = "sim-key",
        seed: int = 7,
        speed: float = 1.0,
        autoplay: bool = True,
        ambient_every: float | None = None,
    ):
        """`ambient_every`: planned seconds between new jobs for the main key (demo)."""
        self.api_key = api_key
        self.ambient_every = ambient_every
        self._defaults = {"seed": seed, "speed": speed, "paused": not autoplay}
        self._lock = threading.RLock()
        self.reset()

    # ------------------------------------------------------------ clock
    def reset(self, seed: int | None = None) -> None:
        with self._lock:
            self.seed = self._defaults["seed"] if seed is None else seed
            self.speed = self._defaults["speed"]
            self.paused = self._defaults["paused"]
            self._sim_anchor = datetime.now(UTC)
            self._real_anchor = time.monotonic()
            self._ambient_made = 0
            self._next_ambient = (
                self._sim_anchor + timedelta(seconds=self.ambient_every / self.speed)
                if self.ambient_every
                else None
            )
            main, other = KeyInfo(self.api_key, MAIN_USER), KeyInfo(OTHER_KEY, OTHER_USER)
            self.keys: dict[str, KeyInfo] = {main.api_key: main, other.api_key: other}
            self.ids = Ids(random.Random(self.seed))
            jobs = seed_jobs(self.seed, self._sim_anchor, main, other, self.ids, self.speed)
            self.jobs: dict[str, SimJob] = {j.id: j for j in jobs}
            self.ids.rng = random.Random(self.seed * 7919 + 1)
            self.faults = Faults(random.Random(self.seed * 104_729 + 3))
            self.requests: deque[dict[str, Any]] = deque(maxlen=LOG_LIMIT)

    def _clock(self) -> datetime:
        if self.paused:
            return self._sim_anchor
        return self._sim_anchor + timedelta(seconds=time.monotonic() - self._real_anchor)

    def now(self) -> datetime:
        """The lifecycle clock; every job is brought up to it."""
        with self._lock:
            now = self._clock()
            self._ambient(now)
            for job in self.jobs.values():
                lifecycle.update(job, now)
            return now

    def _ambient(self, now: datetime) -> None:
        owner = self.keys.get(self.api_key)
        while self._next_ambient is not None and owner and self._next_ambient <= now:
            self._ambient_made += 1
            job = ambient_job(self.ids, owner, self._next_ambient, self._ambient_made, self.speed)
            self.jobs[job.id] = job
            self._next_ambient += timedelta(seconds=self.ambient_every / self.speed)

    def set_clock(self, *, paused: bool | None = None, speed: float | None = None) -> dict:
        with self._lock:
            self._sim_anchor, self._real_anchor = self._clock(), time.monotonic()
            if paused is not None:
                self.paused = paused
            if speed is not None and speed != self.speed:
                now = self.now()
                for job in self.jobs.values():
                    lifecycle.rescale(job, now, speed)
                if self._next_ambient is not None and self._next_ambient > now:
                    self._next_ambient = now + (self._next_ambient - now) * (self.speed / speed)
                self.speed = speed
            return self.clock_state()

    def tick(self, seconds: float) -> dict:
        with self._lock:
            self._sim_anchor, self._real_anchor = self._clock(), time.monotonic()
            self._sim_anchor += timedelta(seconds=seconds)
            self.now()
            return self.clock_state()

    def clock_state(self) -> dict:
        return {"now": wire.ts(self._clock()), "paused": self.paused, "speed": self.speed}

    # ------------------------------------------------------------ keys
    def key(self, api_key: str | None) -> KeyInfo | None:
        with self._lock:
            return self.keys.get(api_key) if api_key else None

    def add_key(
        self, api_key: str, user_id: str | None = None, team_id: str | None = None
    ) -> KeyInfo:
        with self._lock:
            info = KeyInfo(api_key, user_id or "user-" + self.ids.short()[:8], team_id)
            self.keys[api_key] = info
            return info

    def revoke_key(self, api_key: str) -> bool:
        with self._lock:
            return self.keys.pop(api_key, None) is not None

    # ------------------------------------------------------------ the real API
    def _owned(self, key: KeyInfo, job_id: str) -> SimJob:
        job = self.jobs.get(job_id)
        if job is None or job.user_id != key.user_id:
            raise JobNotFound(job_id)
        return job

    def list_jobs(
        self,
        key: KeyInfo,
        *,
        job_type: str | None = None,
        sort_by: str = "created_at",
        sort_order: str = "desc",
        limit: int = 25,
        offset: int = 0,
    ) -> list[dict]:
        with self._lock:
            self.now()
            jobs = [
                j
                for j in self.jobs.values()
                if j.user_id == key.user_id and (job_type is None or j.job_type == job_type)
            ]
            sort_keys = {
                "name": lambda j: (j.name.lower(), j.name, j.id),
                "job_type": lambda j: (j.job_type, j.created_at, j.id),
                "created_at": lambda j: (j.created_at, j.id),
            }
            jobs.sort(key=sort_keys[sort_by], reverse=sort_order == "desc")
            return [wire.list_item(j) for j in jobs[offset : offset + limit]]

    def get_job(self, key: KeyInfo, job_id: str) -> dict:
        with self._lock:
            now = self.now()
            return wire.detail(self._owned(key, job_id), now)

    def update_job(self, key: KeyInfo, job_id: str, fields: dict[str, Any]) -> dict:
        with self._lock:
            now = self.now()
            job = self._owned(key, job_id)
            if job.alignment is not None:
                raise InputsLocked(job_id)
            for name, value in fields.items():
                setattr(job, name, value)
                if name in ("system_prompt", "instructions"):
                    setattr(job, f"{name}_updated_at", now)
            if fields:
                job.updated_at = now
            if job.status in ("needs_review", "ready_to_start"):
                lifecycle.derive_pre_alignment(job, now, announce=False)
            return wire.detail(job, now)

    def cancel_job(self, key: KeyInfo, job_id: str) -> dict:
        with self._lock:
            now = self.now()
            job = self._owned(key, job_id)
            if job.status not in CANCELLABLE or job.alignment is None:
                raise NotCancellable(job_id)
            lifecycle.cancel(job, now)
            return wire.detail(job, now)

    def start_job(self, key: KeyInfo, job_id: str) -> dict:
        """Start alignment: only from ``ready_to_start``."""
        with self._lock:
            now = self.now()
            job = self._owned(key, job_id)
            lifecycle.update(job, now)
            if job.status != "ready_to_start":
                raise WrongState(
                    f"Data job is {job.status}; only a ready_to_start job can be started."
                )
            lifecycle.start_alignment(job, now)
            return wire.detail(job, now)

    def remove_files(self, key: KeyInfo, job_id: str, file_ids: list[str]) -> dict:
        """Remove files before alignment. The last viable file is never removed; a
        ``needs_review`` job whose failed files are all gone becomes ``ready_to_start``."""
        with self._lock:
            now = self.now()
            job = self._owned(key, job_id)
            lifecycle.update(job, now)
            if job.alignment is not None:
                raise InputsLocked(job_id)
            known = {f.alignment_file_id for f in job.files}
            unknown = [f for f in file_ids if f not in known]
            if unknown:
                raise WrongState(f"File {unknown[0]} is not part of this data job.")
            left = [f for f in job.files if f.alignment_file_id not in set(file_ids)]
            viable = [f for f in left if f.status != "failed"]
            if job.job_type != "context_grounded_vector_db" and not viable:
                raise WrongState("At least one viable file must remain in the data job.")
            removed = len(job.files) - len(left)
            job.files = left
            job.event(now, "Files Removed", f"{removed} file(s) removed.", count=removed)
            if job.status in ("needs_review", "ready_to_start"):
                lifecycle.derive_pre_alignment(job, now, announce=False)
            job.updated_at = now
            return wire.detail(job, now)

    def clone_job(self, key: KeyInfo, job_id: str, name: str | None) -> dict:
        """A new job with the original's type, prompts, vector database and viable files;
        ``ready_to_start`` (waiting to be started) or ``needs_review`` if none was viable."""
        with self._lock:
            now = self.now()
            src = self._owned(key, job_id)
            job = build_job(
                self.ids,
                key,
                name=name or f"{src.name} (copy)",
                job_type=src.job_type,
                created_at=now,
                files=[],
                plan=Plan(autostart_after=None),
                speed=self.speed,
                description=src.description,
                system_prompt=src.system_prompt,
                instructions=src.instructions,
                vector_database_id=src.vector_database_id,
            )
            job.origin_data_job_id = src.id
            for f in src.files:
                if f.status == "failed":
                    continue
                job.files.append(
                    SimFile(
                        file_id=f.file_id,
                        alignment_file_id="file-" + self.ids.short(),
                        filename=f.filename,
                        bytes=f.bytes,
                        created_at=now,
                        record_id=("ifr-" + self.ids.uuid()) if f.record_id else None,
                        status="completed" if f.record_id else None,
                        method=f.method,
                        completed_at=now if f.record_id else None,
                    )
                )
            job.ingestion_job_id = None
            lifecycle.derive_pre_alignment(job, now, announce=True)
            self.jobs[job.id] = job
            return wire.detail(job, now)

    # ------------------------------------------------------------ control
    def create_job(
        self,
        *,
        name: str,
        api_key: str | None = None,
        job_type: str = "principle_files",
        status: str | None = None,
        status_message: str | None = None,
        files: list[FileSpec] | None = None,
        created_at: datetime | None = None,
        plan: Plan | None = None,
        **fields: Any,
    ) -> dict:
        with self._lock:
            now = self.now()
            owner = self.keys.get(api_key or self.api_key)
            if owner is None:
                raise KeyError(api_key)
            if files is None:
                files = (
                    []
                    if job_type == "context_grounded_vector_db"
                    else [
                        FileSpec("policies.pdf", start_after=0, duration=12),
                        FileSpec("faq.docx", start_after=2, duration=12),
                    ]
                )
            if "system_prompt" not in fields and job_type == "principle_files":
                fields["system_prompt"] = "You are a helpful support expert."
            if "vector_database_id" not in fields and job_type == "context_grounded_vector_db":
                fields["vector_database_id"] = "vdb-" + self.ids.short()[:12]
            job = build_job(
                self.ids,
                owner,
                name=name,
                job_type=job_type,
                created_at=created_at or now,
                files=files,
                plan=plan or Plan(),
                speed=self.speed,
                **fields,
            )
            lifecycle.update(job, now)
            self.jobs[job.id] = job
            if status is not None and status != job.status:
                self._move(job, status, status_message, now)
            elif status_message is not None:
                job.status_message = status_message
            return wire.detail(job, now)

    def _move(self, job: SimJob, status: str, message: str | None, now: datetime) -> None:
        lifecycle.set_status(job, status, now, message, "aj-" + self.ids.uuid())

    def peek_job(self, job_id: str) -> dict:
        """A job's detail whoever owns it (control API only)."""
        with self._lock:
            now = self.now()
            if job_id not in self.jobs:
                raise JobNotFound(job_id)
            return wire.detail(self.jobs[job_id], now)

    def move_job(self, job_id: str, status: str, status_message: str | None = None) -> dict:
        with self._lock:
            now = self.now()
            job = self.jobs.get(job_id)
            if job is None:
                raise JobNotFound(job_id)
            self._move(job, status, status_message, now)
            return wire.detail(job, now)

    def log(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append(entry)

    def request_log(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.requests)

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()
