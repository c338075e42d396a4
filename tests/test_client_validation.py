"""Input the client refuses before anything goes on the wire, and what it sends when it does."""

from __future__ import annotations

import ast
import pathlib

import pytest

from bot.seekrflow import (
    InvalidJobId,
    JobUpdate,
    SeekrFlow,
    ValidationFailed,
    normalize_base_url,
    validate_job_id,
)
from tests.support.fixtures_client import API_KEY
from tests.support.scripted_server import Reply, job_json

GOOD_ID = "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d"


@pytest.mark.parametrize("job_id", [GOOD_ID, "dj-1", "job_42", "DJ.abc:1~2", "a" * 128])
def test_plausible_ids_pass_unchanged(job_id):
    assert validate_job_id(job_id) == job_id


def test_surrounding_whitespace_is_dropped():
    assert validate_job_id(f"  {GOOD_ID}\n") == GOOD_ID


@pytest.mark.parametrize(
    ("job_id", "names"),
    [
        ("", "required"),
        ("   ", "required"),
        ("a" * 129, "at most 128"),
        ("dj-1/cancel", "'/'"),
        ("dj-é", "letters, digits"),
        ("<!here|here>", "letters, digits"),
        ("dj:a+b", "letters, digits"),
        ("..", "'..'"),
        ("dj..1", "'..'"),
        ("dj\\1", "'\\'"),
        ("dj 1", "whitespace"),
        ("dj\t1", "whitespace"),
        ("dj\x001", "control"),
        ("dj\x1b[31m", "control"),
        ("dj\u200b1", "invisible"),
        ("dj-1?x=1", "'?'"),
        ("dj-1#frag", "'#'"),
        ("dj-%2e%2e", "'%'"),
    ],
)
def test_bad_ids_get_a_message_naming_the_problem(job_id, names):
    with pytest.raises(InvalidJobId) as info:
        validate_job_id(job_id)
    assert names in str(info.value)


def test_a_non_string_id_is_refused():
    with pytest.raises(InvalidJobId):
        validate_job_id(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    ["http://h:1", "http://h:1/", "http://h:1/v1", "http://h:1/v1/", " http://h:1//v1/ "],
)
def test_base_url_tolerates_trailing_slash_and_v1(url):
    assert normalize_base_url(url) == "http://h:1"


@pytest.mark.parametrize("url", ["flow.seekr.com", "ftp://h", ""])
def test_base_url_must_be_http(url):
    with pytest.raises(ValueError):
        normalize_base_url(url)


async def test_bad_ids_never_reach_the_server(scripted, make_client):
    client = make_client(scripted.url)
    for call in (client.get_job, client.cancel_job):
        with pytest.raises(InvalidJobId):
            await call("../admin")
    with pytest.raises(InvalidJobId):
        await client.rename_job("dj 1", "new name")
    with pytest.raises(InvalidJobId):
        await client.update_job("dj/1", JobUpdate(description="x"))
    assert scripted.requests == []


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"limit": 0}, "limit must be between 1 and 100"),
        ({"limit": 101}, "limit must be between 1 and 100"),
        ({"offset": -1}, "offset must be at least 0"),
        ({"job_type": "videos"}, "job_type must be one of principle_files"),
        ({"sort_by": "status"}, "sort_by must be one of name, created_at, job_type"),
        ({"sort_order": "up"}, "sort_order must be one of asc, desc"),
        ({"limit": "10"}, "limit must be a whole number"),
    ],
)
async def test_bad_list_arguments_never_reach_the_server(scripted, make_client, kwargs, says):
    with pytest.raises(ValidationFailed) as info:
        await make_client(scripted.url).list_jobs(**kwargs)
    assert says in str(info.value)
    assert scripted.requests == []


async def test_bad_names_and_empty_updates_never_reach_the_server(scripted, make_client):
    client = make_client(scripted.url)
    for name in ("", "x" * 256):
        with pytest.raises(ValidationFailed) as info:
            await client.rename_job(GOOD_ID, name)
        assert "between 1 and 255 characters" in str(info.value)
    with pytest.raises(ValidationFailed, match="Nothing to change"):
        await client.update_job(GOOD_ID, JobUpdate())
    assert scripted.requests == []


async def test_headers_carry_the_raw_key_and_team(scripted, make_client):
    scripted.default = Reply(200, json={"object": "list", "data": [job_json()]})
    await make_client(scripted.url + "/v1/", team_id="team-7").list_jobs()
    await make_client(scripted.url).list_jobs()
    with_team, without_team = scripted.requests
    assert with_team.path == "/v1/flow/data-jobs"
    assert with_team.headers["authorization"] == API_KEY  # no "Bearer"
    assert with_team.headers["x-team-id"] == "team-7"
    assert "x-team-id" not in without_team.headers


async def test_list_sends_its_filters_as_query(scripted, make_client):
    scripted.default = Reply(200, json={"object": "list", "data": []})
    jobs = await make_client(scripted.url).list_jobs(
        job_type="context_grounded_files", sort_by="name", sort_order="asc", limit=100, offset=50
    )
    assert jobs == []
    query = dict(p.split("=") for p in scripted.requests[0].query.split("&"))
    assert query == {
        "job_type": "context_grounded_files",
        "sort_by": "name",
        "sort_order": "asc",
        "limit": "100",
        "offset": "50",
    }


async def test_update_sends_only_the_fields_set(scripted, make_client):
    client = make_client(scripted.url)
    await client.update_job(GOOD_ID, JobUpdate(description="Q4 scope", system_prompt=None))
    await client.rename_job(GOOD_ID, "Support refresh v2")
    patch1, patch2 = scripted.requests
    assert (patch1.method, patch1.path) == ("PATCH", f"/v1/flow/data-jobs/{GOOD_ID}")
    assert patch1.body == b'{"description":"Q4 scope","system_prompt":null}'
    assert patch2.body == b'{"name":"Support refresh v2"}'


async def test_an_id_is_its_own_path_segment_unchanged(scripted, make_client):
    await make_client(scripted.url).get_job("dj:a~b.1")
    assert scripted.requests[0].path == "/v1/flow/data-jobs/dj:a~b.1"


async def test_the_client_repr_hides_the_key(http_pool):
    client = SeekrFlow(http_pool, base_url="http://h/v1", api_key=API_KEY, team_id="team-7")
    assert repr(client) == "SeekrFlow(base_url='http://h', team_id='team-7')"


def test_the_client_package_imports_nothing_from_slack():
    root = pathlib.Path(__file__).resolve().parents[1] / "bot" / "seekrflow"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(
                n.split(".")[0] in ("slack_bolt", "slack_sdk", "slack") for n in names
            ), path
