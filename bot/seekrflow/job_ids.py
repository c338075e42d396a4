"""Checking a data-job id before it goes into a URL path."""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidJobId

MAX_JOB_ID_LENGTH = 128
# URL-unreserved ASCII (RFC 3986): an id made of these is its own path segment, unchanged
_ID_CHARS = re.compile(r"[A-Za-z0-9._:~-]+")
EXAMPLE_JOB_ID = "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d"

# Characters that would change which URL the id lands on.
_FORBIDDEN = {
    "/": "'/'",
    "\\": "'\\'",
    "?": "'?'",
    "#": "'#'",
    "%": "'%'",
}


def validate_job_id(job_id: object) -> str:
    """Return the id (surrounding whitespace removed) or raise ``InvalidJobId``.

    Deliberately loose about the id's shape (ids look like ``dj-<uuid>`` but
    that is not enforced): it only refuses what could leave the job's own URL
    or cannot be a typed id at all.
    """
    if not isinstance(job_id, str):
        raise InvalidJobId("A job id must be text.")
    job_id = job_id.strip()
    if not job_id:
        raise InvalidJobId(f"A job id is required, for example {EXAMPLE_JOB_ID}.")
    if len(job_id) > MAX_JOB_ID_LENGTH:
        raise InvalidJobId(
            f"That job id is {len(job_id)} characters long; "
            f"job ids are at most {MAX_JOB_ID_LENGTH} characters."
        )
    for char, shown in _FORBIDDEN.items():
        if char in job_id:
            raise InvalidJobId(
                f"A job id cannot contain {shown}. Job ids look like {EXAMPLE_JOB_ID}."
            )
    if ".." in job_id:
        raise InvalidJobId(f"A job id cannot contain '..'. Job ids look like {EXAMPLE_JOB_ID}.")
    for char in job_id:
        if char.isspace():
            raise InvalidJobId("A job id cannot contain spaces or other whitespace.")
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise InvalidJobId("A job id cannot contain control or invisible characters.")
    if not _ID_CHARS.fullmatch(job_id):
        raise InvalidJobId(
            "A job id is made of letters, digits and '-', '_', '.', ':' or '~' only. "
            f"Job ids look like {EXAMPLE_JOB_ID}."
        )
    return job_id
