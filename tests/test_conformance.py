"""The client's models, the simulator and the official SDK agree on the wire format.

1. Our pydantic models against the published OpenAPI excerpt (tests/data): they
   declare every documented field and never require one the document leaves
   optional, so any documented response parses.
2. What the simulator sends on the paths the client uses (list, detail, PATCH,
   cancel), fetched through the client's own HTTP settings, validates against
   the excerpt's DataJobDetailResponse with every $ref resolved.
3. The official ``seekrai`` SDK, in its own cached venv, reads the simulator:
   list, a detail for every status, update, cancel, and its errors.

The excerpt's DataJobStatus enum lacks ``stopped``; the SDK's AlignmentJobStatus
has it and a data job mirrors its alignment status, so it is added here.
"""

from __future__ import annotations

import copy
import json
import pathlib
import subprocess
from datetime import datetime

import httpx
import jsonschema
import pytest
import yaml

from bot.seekrflow import models
from bot.seekrflow.models import JobStatus

pytestmark = pytest.mark.slow  # builds a venv with the official SDK (network on first run)

DATA = pathlib.Path(__file__).parent / "data"
SPEC = yaml.safe_load((DATA / "seekrflow_get_data_job.openapi.yaml").read_text())
SCHEMAS = copy.deepcopy(SPEC["components"]["schemas"])
SCHEMAS["DataJobStatus"]["enum"].append("stopped")  # known to the SDK, missing from the excerpt
JOBS = "/v1/flow/data-jobs"

OURS = {
    "DataJobDetailResponse": models.DataJobDetail,
    "IngestionJobDetail": models.IngestionJob,
    "IngestionFileRecord": models.IngestionFileRecord,
    "AlignmentResponse": models.AlignmentJob,
    "DataJobFile": models.DataJobFile,
    "TimelineEvent": models.TimelineEvent,
}

_formats = jsonschema.FormatChecker()


@_formats.checks("date-time", raises=ValueError)
def _rfc3339(value: object) -> bool:
    """An RFC 3339 timestamp: ISO 8601 with an explicit offset (Z or +hh:mm)."""
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


DETAIL = jsonschema.Draft202012Validator(
    {"$ref": "#/components/schemas/DataJobDetailResponse", "components": {"schemas": SCHEMAS}},
    format_checker=_formats,
)


def assert_valid(body: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in DETAIL.iter_errors(body)]
    assert not errors, errors[:5]


# -- 1. our models against the document --------------------------------------


@pytest.mark.parametrize("schema", sorted(OURS))
def test_models_declare_every_documented_field(schema):
    documented = set(SCHEMAS[schema]["properties"])
    assert documented <= set(OURS[schema].model_fields)


@pytest.mark.parametrize("schema", sorted(OURS))
def test_models_require_nothing_the_document_leaves_optional(schema):
    required = {k for k, f in OURS[schema].model_fields.items() if f.is_required()}
    assert required <= set(SCHEMAS[schema].get("required", []))


def _example(schema: dict, *, full: bool):
    """An instance of ``schema``: only required properties, or all of them (first anyOf)."""
    if "$ref" in schema:
        return _example(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]], full=full)
    if "anyOf" in schema:
        return _example(schema["anyOf"][0] if full else {"type": "null"}, full=full)
    if "enum" in schema:
        return schema["enum"][-1]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        keys = props if full else schema.get("required", [])
        return {k: _example(props[k], full=full) for k in keys}
    if kind == "array":
        return [_example(schema["items"], full=full)] if full else []
    return {
        "string": "2025-11-14T07:35:21.700005Z" if schema.get("format") == "date-time" else "text",
        "integer": 3,
        "number": 42.5,
        "boolean": False,
        "null": None,
    }.get(kind, "anything")


@pytest.mark.parametrize("full", [False, True], ids=["required-only", "every-field"])
def test_any_documented_detail_parses(full):
    body = _example(SCHEMAS["DataJobDetailResponse"], full=full)
    assert_valid(body)
    job = models.DataJobDetail.model_validate(body)
    assert job.status == "stopped" and job.model_extra == {}
    if full:
        assert job.alignment_job.status == "stopped" and job.ingestion_jobs[0].records


def test_every_documented_status_is_known_to_the_bot():
    assert set(SCHEMAS["DataJobStatus"]["enum"]) | set(SCHEMAS["AlignmentJobStatus"]["enum"]) == {
        s.value for s in JobStatus
    }


# -- 2. the simulator on the client's paths ------------------------------------


def test_the_simulators_answers_on_the_clients_paths_validate(simulator):
    headers = {"Authorization": simulator.api_key}
    with httpx.Client(base_url=simulator.url, headers=headers, timeout=10) as http:
        listed = http.get(JOBS, params={"limit": 100}).json()
        assert listed["object"] == "list"
        for item in listed["data"]:
            assert_valid(item)
        by_status = {j["status"]: j["id"] for j in listed["data"]}
        assert set(by_status) == {s.value for s in JobStatus}, "seeded with every status"
        editable = by_status["ready_to_start"]
        patched = http.patch(f"{JOBS}/{editable}", json={"name": "Renamed", "description": "d"})
        assert patched.status_code == 200
        assert_valid(patched.json())
        cancelled = http.post(f"{JOBS}/{by_status['running']}/cancel")
        assert cancelled.status_code == 200
        assert_valid(cancelled.json())
        again = http.post(f"{JOBS}/{by_status['running']}/cancel")
        assert (again.status_code, again.content) == (304, b"")


# -- 3. the official SDK reads the simulator -----------------------------------


@pytest.fixture(scope="session")
def sdk_python():
    from tests.support.sdk_venv import VenvUnavailable, sdk_python

    try:
        return sdk_python()
    except VenvUnavailable as exc:
        pytest.skip(f"could not build the seekrai SDK venv (network needed once): {exc}")


def test_the_official_sdk_reads_the_simulator(sdk_python, simulator):
    probe = pathlib.Path(__file__).parent / "support" / "sdk_probe.py"
    done = subprocess.run(
        [str(sdk_python), str(probe), simulator.url, simulator.api_key],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["sdk_version"] == "0.35.1"
    assert set(report["details"]) == {s.value for s in JobStatus}  # every status parsed
    assert all(d["status"] == s for s, d in report["details"].items())
    assert sum(d["jobs"] for d in report["details"].values()) == report["listed"]
    assert report["details"]["needs_review"]["failed_records"] > 0
    assert report["details"]["running"]["alignment"] == report["details"]["running"]["jobs"]
    assert report["update"]["name"] == "Renamed by the SDK"
    assert report["update"]["system_prompt"] == "Cite the policy section."
    assert report["cancel"]["status"] == "cancelled"
    # The SDK has no special case for 304 or 404: both surface as its generic errors.
    assert report["cancel_again"] == "APIError: 304"
    assert report["update_locked"] == "ConflictError: 409"
    assert report["missing"] == "InvalidRequestError: 404"
    # start, remove-files and clone, as the SDK sends and reads them
    assert report["remove_files"]["status"] == "ready_to_start"
    assert report["remove_files"]["failed_left"] == 0
    assert report["start"]["status"] == "pending"
    assert report["start_again"] == "ConflictError: 409"
    assert report["clone"]["origin"] == report["clone"]["source"]
    assert report["clone"]["status"] == "ready_to_start"
    assert report["clone"]["name"] == "Cloned by the SDK"
    assert report["bad_key"] == "AuthenticationError: 401"
    # Fields the SDK does not declare must at least be documented in the excerpt or docs.
    documented = set(SCHEMAS["DataJobDetailResponse"]["properties"]) | {"description"}
    nested = {
        "files[]": "DataJobFile",
        "alignment_job": "AlignmentResponse",
        "ingestion_jobs[]": "IngestionJobDetail",
        "timeline[]": "TimelineEvent",
        "ingestion_jobs[].records[]": "IngestionFileRecord",
    }
    sent = {e for d in report["details"].values() for e in d["extras"]} | set(report["list_extras"])
    sent |= set(report["update"]["extras"]) | set(report["cancel"]["extras"])
    sent |= set(report["remove_files"]["extras"]) | set(report["clone"]["extras"])
    for path in sorted(sent):
        prefix, _, name = path.rpartition(".")
        allowed = (
            set(SCHEMAS[nested[prefix]]["properties"])
            if prefix in nested
            else (documented if not prefix else set())
        )
        assert name in allowed, f"the simulator sends {path}, known to neither SDK nor docs"
    # Our models declare everything the SDK's models declare.
    ours = {
        "DataJobResponse": models.DataJob,
        "DataJobDetailResponse": models.DataJobDetail,
        "IngestionJobDetail": models.IngestionJob,
        "DataJobFile": models.DataJobFile,
        "TimelineEvent": models.TimelineEvent,
        "AlignmentResponse": models.AlignmentJob,
        "IngestionFileRecord": models.IngestionFileRecord,
    }
    for name, fields in report["fields"].items():
        missing = set(fields) - set(ours[name].model_fields)
        assert not missing, f"{name}: the SDK knows {missing}, our models do not"
