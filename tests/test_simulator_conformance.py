"""Every simulator response validates against SeekrFlow's published OpenAPI schema.

The schema is the excerpt of the official docs kept in tests/data. Its DataJobStatus
enum predates `stopped`, which the official SDK's AlignmentJobStatus has and the data
job mirrors; that one value is added here and nothing else is relaxed.
"""

from __future__ import annotations

import pathlib

import httpx
import jsonschema
import pytest
import yaml

from bot.seekrflow.models import DataJobDetail, DataJobList

SPEC = yaml.safe_load(
    (pathlib.Path(__file__).parent / "data" / "seekrflow_get_data_job.openapi.yaml").read_text()
)
SCHEMAS = SPEC["components"]["schemas"]
SCHEMAS["DataJobStatus"]["enum"].append("stopped")
JOBS = "/v1/flow/data-jobs"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


DETAIL = _validator("DataJobDetailResponse")
VALIDATION_ERROR = _validator("HTTPValidationError")


def _assert_valid(validator, body):
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def _check_everything(url: str, key: str) -> int:
    with httpx.Client(base_url=url, headers={"Authorization": key}, timeout=10) as http:
        return _check_all(http)


def _check_all(http: httpx.Client) -> int:
    listed = http.get(JOBS, params={"limit": 100}).json()
    DataJobList.model_validate(listed)
    for item in listed["data"]:
        _assert_valid(DETAIL, item)  # a list item is the detail without its nested parts
        detail = http.get(f"{JOBS}/{item['id']}").json()
        _assert_valid(DETAIL, detail)
        parsed = DataJobDetail.model_validate(detail)
        assert parsed.model_extra == {}, f"fields the models do not know: {parsed.model_extra}"
        stamps = [e["timestamp"] for e in detail["timeline"]]
        assert stamps == sorted(stamps)
    return len(listed["data"])


@pytest.mark.slow  # hundreds of jobs through every status
def test_seeded_jobs_validate_through_their_whole_lifecycle(simulator):
    checked = 0
    for _ in range(8):  # seeded jobs move on: processing, review, alignment, outcomes
        checked += _check_everything(simulator.url, simulator.api_key)
        checked += _check_everything(simulator.url, simulator.other_key)
        simulator.control.tick(75)
    assert checked == 8 * 33


@pytest.mark.parametrize(
    "status",
    [
        "file_processing",
        "needs_review",
        "ready_to_start",
        "pending",
        "queued",
        "running",
        "completed",
        "failed",
        "cancelled",
        "stopped",
    ],
)
def test_jobs_moved_by_hand_validate(simulator, status):
    job = simulator.control.create_job(
        "Hand-made",
        files=[
            {"filename": "a.pdf"},
            {"filename": "b.pdf", "error": "The file appears to be empty."},
        ],
    )
    moved = simulator.control.set_status(job["id"], status)
    _assert_valid(DETAIL, moved)
    assert moved["status"] == status


def test_cancelled_detail_validates(simulator):
    h = simulator.headers()
    running = [
        j
        for j in httpx.get(simulator.url + JOBS, headers=h, params={"limit": 100}).json()["data"]
        if j["status"] == "running"
    ]
    body = httpx.post(f"{simulator.url}{JOBS}/{running[0]['id']}/cancel", headers=h).json()
    _assert_valid(DETAIL, body)


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("GET", JOBS, {"params": {"limit": 500}}),
        ("GET", JOBS, {"params": {"sort_order": "sideways", "offset": "x"}}),
        ("PATCH", JOBS + "/{id}", {"json": {"name": ""}}),
        (
            "PATCH",
            JOBS + "/{id}",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
        ),
    ],
)
def test_422_bodies_validate(simulator, method, path, kwargs):
    h = {**simulator.headers(), **kwargs.pop("headers", {})}
    jid = httpx.get(simulator.url + JOBS, headers=h).json()["data"][0]["id"]
    r = httpx.request(method, simulator.url + path.format(id=jid), headers=h, **kwargs)
    assert r.status_code == 422
    _assert_valid(VALIDATION_ERROR, r.json())
    assert r.json()["detail"]
