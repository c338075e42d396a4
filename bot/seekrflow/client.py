"""An async client for the SeekrFlow data-jobs API.

One ``SeekrFlow`` per API key, all sharing one injected ``httpx.AsyncClient``
(its connection pool). Verb methods return pydantic models; every failure is
one of the typed errors in ``errors.py`` (mapped in ``outcomes.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from bot import metrics

from .errors import KeyRejected, ValidationFailed
from .job_ids import validate_job_id
from .models import DataJob, DataJobDetail, DataJobList, JobType, JobUpdate, SortBy, SortOrder
from .outcomes import Call, error_for_request, result
from .retry import RetryPolicy, call_with_retry

logger = logging.getLogger(__name__)

_DATA_JOBS = "/v1/flow/data-jobs"
_USER_AGENT = "datajobs-bot (+httpx)"


KeyRejectedHook = Callable[[KeyRejected], Awaitable[KeyRejected]]
"""Called when SeekrFlow rejects the key (401/403); returns the error to raise in its place."""


def normalize_base_url(base_url: str) -> str:
    """``https://flow.seekr.com``, ``…/`` and ``…/v1/`` all become ``https://flow.seekr.com``."""
    url = base_url.strip().rstrip("/")
    if url.endswith("/v1"):
        url = url[: -len("/v1")].rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            "the SeekrFlow base URL must be an http(s) URL, e.g. https://flow.seekr.com"
        )
    return url


class SeekrFlow:
    """The data-jobs endpoints for one API key (and optional team).

    ``on_key_rejected``: the one hook for whoever made the client to act when the key
    stops working (pause what polls with it, or say whose key it is to fix); the error it
    returns is raised instead.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str,
        team_id: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 10.0,
        on_key_rejected: KeyRejectedHook | None = None,
    ):
        if not api_key:
            raise ValueError("an API key is required")
        # Refused on the first call (not here) so callers meet it where they handle KeyRejected.
        self._unsendable: str | None = None
        if not _header_safe(api_key):
            self._unsendable = (
                "That API key contains characters an API key cannot have "
                "(spaces, line breaks or non-ASCII letters)."
            )
        elif team_id and not _header_safe(team_id):
            self._unsendable = "That team id contains spaces, line breaks or non-ASCII letters."
        self._http = http
        self.base_url = normalize_base_url(base_url)
        self._api_key = api_key
        self.team_id = team_id or None
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self._on_key_rejected = on_key_rejected
        self._host = urlsplit(self.base_url).netloc.rpartition("@")[2]
        self._headers = {
            "Authorization": api_key,
            "Accept": "application/json",
            "User-Agent": _USER_AGENT,
        }
        if self.team_id:
            self._headers["x-team-id"] = self.team_id

    def __repr__(self) -> str:  # never shows the key
        team = f", team_id={self.team_id!r}" if self.team_id else ""
        return f"SeekrFlow(base_url={self.base_url!r}{team})"

    # -- endpoints ---------------------------------------------------------

    async def list_jobs(
        self,
        *,
        job_type: str | None = None,
        sort_by: str = "created_at",
        sort_order: str = "desc",
        limit: int = 25,
        offset: int = 0,
    ) -> list[DataJob]:
        """One page of the key's data jobs. No total: a full page means "maybe more"."""
        params: dict[str, Any] = {
            "sort_by": _choice("sort_by", sort_by, SortBy),
            "sort_order": _choice("sort_order", sort_order, SortOrder),
            "limit": _int_in("limit", limit, 1, 100),
            "offset": _int_in("offset", offset, 0, None),
        }
        if job_type is not None:
            params["job_type"] = _choice("job_type", job_type, JobType)
        page = await self._call(
            "GET", _DATA_JOBS, "list", "data-job list", DataJobList, params=params
        )
        return page.data

    async def get_job(self, job_id: str) -> DataJobDetail:
        job_id = validate_job_id(job_id)
        return await self._call("GET", _job_path(job_id), "get", _subject(job_id), DataJobDetail)

    async def update_job(self, job_id: str, update: JobUpdate) -> DataJobDetail:
        """PATCH the fields set on ``update`` (explicit ``None`` clears a field)."""
        job_id = validate_job_id(job_id)
        body = update.model_dump(mode="json", exclude_unset=True)
        if not body:
            raise ValidationFailed("Nothing to change: no field of the job was given.")
        return await self._call(
            "PATCH", _job_path(job_id), "update", _subject(job_id), DataJobDetail, json=body
        )

    async def rename_job(self, job_id: str, name: str) -> DataJobDetail:
        job_id = validate_job_id(job_id)
        try:
            update = JobUpdate(name=name)
        except ValidationError:
            raise ValidationFailed(
                "A job name must be between 1 and 255 characters long."
            ) from None
        return await self.update_job(job_id, update)

    async def cancel_job(self, job_id: str) -> DataJobDetail:
        """Cancel the job's alignment run; ``NotCancellable`` unless pending/queued/running."""
        job_id = validate_job_id(job_id)
        return await self._call(
            "POST", _job_path(job_id) + "/cancel", "cancel", _subject(job_id), DataJobDetail
        )

    async def start_job(self, job_id: str) -> DataJobDetail:
        """Start a ``ready_to_start`` job's alignment; ``WrongState`` (409) otherwise."""
        job_id = validate_job_id(job_id)
        return await self._call(
            "POST", _job_path(job_id) + "/start", "start", _subject(job_id), DataJobDetail
        )

    async def remove_files(self, job_id: str, file_ids: list[str]) -> DataJobDetail:
        """Remove files (their ``file_id``s) from a job before alignment; ``WrongState`` when
        no viable file would be left, ``InputsLocked`` once alignment started."""
        job_id = validate_job_id(job_id)
        ids = [str(f) for f in file_ids]
        if not ids or any(not f or len(f) > 200 for f in ids):
            raise ValidationFailed("Give at least one file id to remove.")
        return await self._call(
            "POST",
            _job_path(job_id) + "/remove-files",
            "remove files from",
            _subject(job_id),
            DataJobDetail,
            json={"file_ids": ids},
        )

    async def clone_job(self, job_id: str, name: str | None = None) -> DataJobDetail:
        """A new job with the original's type, prompts, vector database and viable files
        (``origin_data_job_id`` names the original). Sent once: an unknown outcome is resolved
        by the caller looking for the clone, never by sending again."""
        job_id = validate_job_id(job_id)
        if name is not None and not 1 <= len(name) <= 255:
            raise ValidationFailed("A job name must be between 1 and 255 characters long.")
        return await self._call(
            "POST",
            _job_path(job_id) + "/clone",
            "clone",
            _subject(job_id),
            DataJobDetail,
            json={"name": name},
        )

    # -- transport -----------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        action: str,
        subject: str,
        model: type[BaseModel],
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        try:
            return await self._send(method, path, action, subject, model, params=params, json=json)
        except KeyRejected as exc:
            if self._on_key_rejected is None:
                raise
            raise await self._on_key_rejected(exc) from None

    async def _send(
        self,
        method: str,
        path: str,
        action: str,
        subject: str,
        model: type[BaseModel],
        *,
        params: dict[str, Any] | None,
        json: Any,
    ) -> Any:
        if self._unsendable:
            raise KeyRejected(self._unsendable)
        call = Call(method, subject, action, self._host, self._api_key)
        url = self.base_url + path
        endpoint = _ENDPOINTS.get(action, action)

        async def attempt(time_left: float | None) -> Any:
            timeout = self.timeout if time_left is None else min(self.timeout, time_left)
            try:
                response = await self._http.request(
                    method, url, params=params, json=json, headers=self._headers, timeout=timeout
                )
            except httpx.RequestError as exc:
                gone = "timeout" if isinstance(exc, httpx.TimeoutException) else "unreachable"
                metrics.seekrflow_request(endpoint, gone)
                logger.info("seekrflow %s %s failed: %s", method, path, type(exc).__name__)
                raise error_for_request(call, exc, timeout) from exc
            metrics.seekrflow_request(endpoint, str(response.status_code))
            logger.debug("seekrflow %s %s -> %s", method, path, response.status_code)
            return result(call, response, model)

        return await call_with_retry(
            attempt, self.retry, idempotent=method == "GET", sleep=asyncio.sleep
        )


# the metrics' endpoint label for each call's action
_ENDPOINTS = {"remove files from": "remove_files"}


def _header_safe(value: str) -> bool:
    """Printable ASCII without whitespace: what can travel in an HTTP header unchanged."""
    return value.isascii() and all(33 <= ord(c) <= 126 for c in value)


def _job_path(job_id: str) -> str:
    return f"{_DATA_JOBS}/{quote(job_id, safe='')}"


def _subject(job_id: str) -> str:
    return f"data job {job_id}"


def _choice(name: str, value: Any, allowed: type[Enum]) -> str:
    values = [m.value for m in allowed]
    text = value.value if hasattr(value, "value") else value
    if text not in values:
        raise ValidationFailed(f"{name} must be one of {', '.join(values)}; got {text!r}.")
    return text


def _int_in(name: str, value: Any, low: int, high: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(f"{name} must be a whole number.")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationFailed(f"{name} must be {bound}; got {value}.")
    return value
