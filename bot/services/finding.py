"""Which job a person meant: an id is used as given; a prefix or a name is looked up.

A lookup reads the list endpoint with the acting person's key, newest first, one
page of ``PAGE`` at a time, at most ``PAGES`` pages. For a name, an exact match
(but for case) wins over a part of a name; two exact matches, or two partial ones
and no exact one, are ``Ambiguous`` and nothing is done. A unique exact match
found before the bound is used; a partial match found before the bound is not
(there may be a second one beyond it): the person is shown it and asked for the id.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import logs
from bot.refs import Reference
from bot.seekrflow import DataJob, SeekrFlow
from bot.values import Actor

from .access import Access
from .pages import PAGE, pages

PAGES = 10


class NoSuchJob(Exception):
    """Nothing matches; ``looked`` jobs were read, ``complete`` when that was all of them."""

    def __init__(self, ref: Reference, looked: int, complete: bool):
        super().__init__(ref.text)
        self.ref, self.looked, self.complete = ref, looked, complete


class Ambiguous(Exception):
    """More than one job (or, past the bound, a partial match) could be the one meant."""

    def __init__(self, ref: Reference, matches: list[DataJob], complete: bool):
        super().__init__(ref.text)
        self.ref, self.matches, self.complete = ref, matches, complete


@dataclass
class Scan:
    """What reading the list found: exact and partial matches, how many jobs were read, and
    whether that was all of them."""

    exact: list[DataJob]
    partial: list[DataJob]
    looked: int = 0
    complete: bool = False


async def _scan(seekr: SeekrFlow, ref: Reference) -> Scan:
    found = Scan([], [])
    query = {"sort_by": "created_at", "sort_order": "desc"}
    async for jobs in pages(seekr, query, limit=PAGES):
        found.looked += len(jobs)
        for job in jobs:
            if ref.exact(job.id, job.name):
                found.exact.append(job)
            elif ref.matches(job.id, job.name):
                found.partial.append(job)
        if len(jobs) < PAGE:
            found.complete = True
            break
        if len(found.exact) > 1:  # ambiguous whatever comes next
            return found
    if not found.complete and found.looked == PAGES * PAGE:  # exactly at the bound: any more?
        found.complete = not await seekr.list_jobs(**query, limit=1, offset=found.looked)
    return found


async def find_job(seekr: SeekrFlow, ref: Reference) -> str:
    """The id of the one job ``ref`` names, or ``NoSuchJob`` / ``Ambiguous``. The id goes
    on the request's log lines from here on."""
    job_id = await _find(seekr, ref)
    logs.bind(job_id=job_id)
    return job_id


async def _find(seekr: SeekrFlow, ref: Reference) -> str:
    if ref.job_id is not None:
        return ref.job_id
    return decide(ref, await _scan(seekr, ref))


def decide(ref: Reference, found: Scan) -> str:
    """The rule: one exact match wins; a partial one only when the whole list was read."""
    if len(found.exact) == 1:
        return found.exact[0].id
    if found.exact:
        raise Ambiguous(ref, found.exact, found.complete)
    if len(found.partial) == 1 and found.complete:
        return found.partial[0].id
    if found.partial:
        raise Ambiguous(ref, found.partial, found.complete)
    raise NoSuchJob(ref, found.looked, found.complete)


class Finding:
    """Which job a person meant, read with their own key (``Deps.finding``)."""

    def __init__(self, access: Access):
        self.access = access

    async def find(self, actor: Actor, ref: Reference) -> str:
        """The job's id: as given, or looked up with the key that reads for ``actor``."""
        if ref.job_id is not None:
            return ref.job_id
        return await find_job(await self.access.reader(actor), ref)
