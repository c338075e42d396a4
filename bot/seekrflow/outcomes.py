"""The one place that turns an HTTP outcome into a result or a typed error.

Every status code, transport failure and unreadable body the client can meet
ends here as one of the errors in ``errors.py``, with a sentence a person can
read. Messages never carry the API key (``scrub`` removes it from anything
the server echoed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from .errors import (
    InputsLocked,
    JobNotFound,
    KeyRejected,
    NotCancellable,
    RateLimited,
    SeekrFlowError,
    ServerError,
    Unavailable,
    UnexpectedResponse,
    ValidationFailed,
    WrongState,
)
from .retry import parse_retry_after

_MAX_DETAIL_CHARS = 300


@dataclass(frozen=True)
class Call:
    """What was asked, for the messages: ``subject`` is e.g. "data job dj-1"."""

    method: str
    subject: str
    action: str  # "list", "get", "update", "cancel"
    host: str
    secret: str

    def scrub(self, text: str) -> str:
        return text.replace(self.secret, "[redacted]") if self.secret else text


def error_for_request(call: Call, exc: httpx.RequestError, timeout: float) -> SeekrFlowError:
    """The typed error for an httpx failure without a usable response."""
    if not isinstance(exc, httpx.TransportError):  # e.g. a body that cannot be decoded
        return UnexpectedResponse(f"SeekrFlow's answer about the {call.subject} could not be read.")
    if isinstance(exc, httpx.TimeoutException):
        what = "connect" if isinstance(exc, httpx.ConnectTimeout) else "answer"
        msg = f"SeekrFlow at {call.host} did not {what} within {timeout:.3g} seconds."
    elif isinstance(exc, httpx.ConnectError):
        msg = f"Could not connect to SeekrFlow at {call.host}. It may be down or unreachable."
    else:
        msg = f"The connection to SeekrFlow at {call.host} broke before it answered."
    return Unavailable(call.scrub(msg))


def error_for_status(call: Call, response: httpx.Response) -> SeekrFlowError:
    """The typed error for a non-2xx response."""
    code = response.status_code
    if code in (401, 403):
        msg = (
            "SeekrFlow did not accept the API key."
            if code == 401
            else "SeekrFlow refused this API key (or its team) access."
        )
        return KeyRejected(msg, status=code)
    if code == 404 and call.action != "list":
        return JobNotFound(
            f"There is no {call.subject}, or this API key cannot see it.", status=404
        )
    if code == 409 and call.action in ("start", "remove files from", "clone"):
        said = call.scrub(_summarize_detail(_detail_of(response)))
        return WrongState(
            f"SeekrFlow can't {call.action} the {call.subject} now"
            + (f": {said}" if said else ".")
            + ("" if not said or said.endswith((".", "!", "?")) else "."),
            status=409,
        )
    if code == 409:
        return InputsLocked(
            f"The {call.subject} can no longer be changed: its inputs are locked "
            "because alignment has started.",
            status=409,
        )
    if code == 304 and call.action == "cancel":
        return NotCancellable(
            f"The {call.subject} cannot be cancelled: it is not pending, queued or running.",
            status=304,
        )
    if code == 422:
        detail = _json_or_none(response)
        detail = detail.get("detail", detail) if isinstance(detail, dict) else detail
        summary = call.scrub(_summarize_detail(detail))
        msg = "SeekrFlow refused the request" + (f": {summary}" if summary else "")
        msg += "" if msg.endswith((".", "!", "?", "…")) else "."
        return ValidationFailed(msg, status=422, detail=_scrub_tree(call, detail))
    if code == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        when = (
            f"try again in {max(1, round(retry_after))} seconds"
            if retry_after is not None
            else "try again shortly"
        )
        return RateLimited(
            f"SeekrFlow is limiting how often it is called; {when}.",
            retry_after=retry_after,
            status=429,
        )
    if 500 <= code <= 599:
        return ServerError(
            f"SeekrFlow had a problem on its side (HTTP {code}) with the {call.subject}; "
            "try again in a moment.",
            status=code,
        )
    return UnexpectedResponse(
        f"SeekrFlow answered the {call.action} request with an unexpected HTTP {code}.",
        status=code,
    )


def _detail_of(response: httpx.Response) -> Any:
    body = _json_or_none(response)
    return body.get("detail", body) if isinstance(body, dict) else body


def result(call: Call, response: httpx.Response, model: type[BaseModel]) -> Any:
    """The parsed body of a 2xx response, or the typed error for anything else."""
    if not 200 <= response.status_code <= 299:
        raise error_for_status(call, response)
    try:
        body = response.json()
    except ValueError:
        raise UnexpectedResponse(
            f"SeekrFlow's answer about the {call.subject} was not valid JSON.",
            status=response.status_code,
        ) from None
    if isinstance(body, list) and call.action == "list":  # tolerate a bare list
        body = {"data": body}
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        raise UnexpectedResponse(
            call.scrub(
                f"SeekrFlow's answer about the {call.subject} was not in the documented "
                f"shape ({where}: {err.get('msg', 'invalid')})."
            ),
            status=response.status_code,
        ) from None


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:_MAX_DETAIL_CHARS] or None


def _summarize_detail(detail: Any) -> str:
    """'name: String should have at most 255 characters' from FastAPI's detail list."""
    if isinstance(detail, str):
        text = detail
    elif isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")]
                msg = str(item.get("msg", "")).strip()
                parts.append(f"{'.'.join(loc)}: {msg}" if loc else msg)
            else:
                parts.append(str(item))
        text = "; ".join(p for p in parts if p)
    else:
        text = ""
    text = " ".join(text.split())
    if len(text) > _MAX_DETAIL_CHARS:
        text = text[: _MAX_DETAIL_CHARS - 1] + "…"
    return text


def _scrub_tree(call: Call, value: Any) -> Any:
    if isinstance(value, str):
        return call.scrub(value)
    if isinstance(value, list):
        return [_scrub_tree(call, v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_tree(call, v) for k, v in value.items()}
    return value
