"""A realistic, deterministic starting set of jobs (same seed -> same jobs)."""

from __future__ import annotations

import random
from datetime import datetime

from . import lifecycle
from .catalog import (
    ALIGNMENT_FAILURES,
    ERRORS,
    FILE_NAMES,
    INSTRUCTIONS,
    JOB_NAMES,
    JOB_TYPES,
    SYSTEM_PROMPTS,
)
from .factory import FileSpec, Ids, ago, build_job, timing
from .records import KeyInfo, Plan, SimJob

DAY = 86_400.0
# Target statuses of the main key's seeded jobs (30), and of the second key's (3).
MAIN_STATUSES = (
    ["completed"] * 7
    + ["failed"] * 3
    + ["cancelled"] * 2
    + ["stopped"]
    + ["needs_review"] * 4
    + ["ready_to_start"] * 3
    + ["file_processing"] * 3
    + ["pending"]
    + ["queued"] * 2
    + ["running"] * 4
)
OTHER_STATUSES = ["completed", "running", "needs_review"]
ACTIVE = ("file_processing", "pending", "queued", "running")


def _files(rng: random.Random, job_type: str, errors: int, fresh: bool) -> list[FileSpec]:
    if job_type == "context_grounded_vector_db":
        return []
    count = rng.randint(max(1, errors), 6)
    names = rng.sample(FILE_NAMES, count)
    failing = set(rng.sample(range(count), errors))
    specs = []
    for i, name in enumerate(names):
        error = rng.choice(ERRORS) if i in failing else None
        if error and name.endswith(".md"):
            name = name[:-3] + ".pdf"
        start = rng.uniform(0, 20) if fresh else rng.uniform(0, 120)
        length = rng.uniform(20, 90) if fresh else rng.uniform(30, 600)
        specs.append(FileSpec(name, error, start_after=round(start, 1), duration=round(length, 1)))
    return specs


def _plan(rng: random.Random, target: str, fresh: bool) -> Plan:
    outcome = target if target in ("failed", "cancelled", "stopped") else "completed"
    return Plan(
        autostart_after=None
        if target in ("ready_to_start", "needs_review")
        else round(rng.uniform(30, 120) if fresh else rng.uniform(60, 7200), 1),
        pending_seconds=round(rng.uniform(5, 15) if fresh else rng.uniform(5, 120), 1),
        queued_seconds=round(rng.uniform(15, 45) if fresh else rng.uniform(30, 1800), 1),
        running_seconds=round(rng.uniform(180, 480) if fresh else rng.uniform(900, 7200), 1),
        outcome=outcome,
        outcome_at=round(rng.uniform(0.15, 0.9), 3),
        failure_message=rng.choice(ALIGNMENT_FAILURES) if outcome == "failed" else None,
    )


def _job(
    ids: Ids,
    owner: KeyInfo,
    now: datetime,
    target: str,
    name: str,
    job_type: str,
    age_days: float,
    speed: float,
) -> SimJob:
    rng = ids.rng
    fresh = target in ACTIVE
    job_speed = speed if fresh else 1.0  # history is long done at any speed
    if target == "file_processing" and job_type == "context_grounded_vector_db":
        job_type = "context_grounded_files"
    review_cause = None
    if target == "needs_review":
        review_cause = {
            "principle_files": rng.choice(["files", "files", "prompt"]),
            "context_grounded_files": "files",
        }.get(job_type, "vector_db")
    files = _files(rng, job_type, rng.randint(1, 2) if review_cause == "files" else 0, fresh)
    plan = _plan(rng, target, fresh)
    if target == "running" and rng.random() < 0.3:
        plan.outcome, plan.failure_message = "failed", rng.choice(ALIGNMENT_FAILURES)
        plan.outcome_at = 0.95
    phases = timing(files, plan, job_speed)
    if target == "file_processing":
        age = rng.uniform(2, 10) / job_speed
    elif target in ACTIVE:
        nxt = {"pending": "queued", "queued": "running", "running": "end"}[target]
        span = phases[nxt] - phases[target]
        share = rng.uniform(0.1, 0.6) if target == "running" else rng.uniform(0.2, 0.8)
        age = phases[target] + span * share
    else:
        age = age_days * DAY
    has_prompt = job_type == "principle_files" and review_cause != "prompt"
    job = build_job(
        ids,
        owner,
        name=name,
        job_type=job_type,
        created_at=ago(now, age),
        files=files,
        plan=plan,
        description=rng.choice(
            [
                None,
                "Prep PDFs and Markdown for the next fine-tuning run",
                "Scope agreed with the support leads",
            ]
        ),
        system_prompt=rng.choice(SYSTEM_PROMPTS) if has_prompt else None,
        instructions=rng.choice(INSTRUCTIONS)
        if job_type != "context_grounded_vector_db" or rng.random() < 0.5
        else None,
        vector_database_id=("vdb-" + ids.short()[:12])
        if job_type == "context_grounded_vector_db" and review_cause != "vector_db"
        else None,
        speed=job_speed,
    )
    lifecycle.update(job, now)
    lifecycle.rescale(job, now, speed)
    if target == "completed" and rng.random() < 0.5:
        job.fine_tuning_job_ids.append("ft-" + ids.uuid())
    return job


def seed_jobs(
    seed: int, now: datetime, main: KeyInfo, other: KeyInfo, ids: Ids, speed: float = 1.0
) -> list[SimJob]:
    rng = random.Random(seed)
    ids.rng = rng
    names = rng.sample(JOB_NAMES, len(MAIN_STATUSES) + len(OTHER_STATUSES))
    jobs = []
    owners = [(main, s) for s in MAIN_STATUSES] + [(other, s) for s in OTHER_STATUSES]
    for (owner, target), name in zip(owners, names, strict=False):
        job_type = rng.choices(JOB_TYPES, weights=(4, 4, 2))[0]
        age_days = rng.uniform(0.2, 42)
        jobs.append(_job(ids, owner, now, target, name, job_type, age_days, speed))
    return jobs


def ambient_job(
    ids: Ids, owner: KeyInfo, created_at: datetime, number: int, speed: float = 1.0
) -> SimJob:
    """A job someone just submitted (the live demo gets one every few minutes)."""
    rng = ids.rng
    name = f"{rng.choice(JOB_NAMES)} v{number + 2}"
    job_type = rng.choices(JOB_TYPES[:2], weights=(1, 1))[0]
    return _job(ids, owner, created_at, "file_processing", name, job_type, 0.0, speed)
