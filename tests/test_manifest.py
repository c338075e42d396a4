"""manifest.yaml is a valid Slack app manifest and matches the code."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.ids import Action, Block, Command, View
from bot.payloads import ListState, RenameMeta
from bot.render import job_card, list_message, rename_modal
from bot.seekrflow import DataJob, DataJobDetail

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests/data/manifest.schema.1.0.0.json").read_text())
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yaml").read_text())


def test_manifest_is_valid_against_slacks_schema(manifest):
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(manifest), key=str)
    assert errors == []


def test_schema_rejects_a_broken_manifest(manifest):
    broken = json.loads(json.dumps(manifest))
    broken["features"]["slash_commands"][0]["command"] = "datajobs"  # no leading slash
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(broken))


def test_command_matches_the_code(manifest):
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == Command.DATAJOBS
    assert command["should_escape"] is True
    assert command["usage_hint"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


# The bot scopes each Web API method needs (Slack's method pages). Methods that act on a
# conversation need the scope of every kind of conversation the bot works in: public and
# private channels, DMs, and group DMs (a subscription can be made "here" in any of them).
HISTORY = {"channels:history", "groups:history", "im:history", "mpim:history"}
METHOD_SCOPES = {
    "auth_test": set(),
    "chat_getPermalink": set(),
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "conversations_open": {"im:write"},
    "conversations_history": HISTORY,
    "conversations_replies": HISTORY,
    "conversations_info": {"channels:read", "groups:read", "im:read", "mpim:read"},
    "users_info": {"users:read"},
    "usergroups_users_list": {"usergroups:read"},
    "views_open": set(),
    "views_update": set(),
    "views_push": set(),
    "views_publish": set(),
    "chat_unfurl": {"links:write"},
}
# The scopes each event the bot subscribes to needs (Slack's event pages).
EVENT_SCOPES = {"app_home_opened": set(), "link_shared": {"links:read"}}
# Stand-ins for Slack and SeekrFlow, not the bot: they make no Web API calls to Slack.
NOT_THE_BOT = ("playground", "simulator")


def _methods_the_bot_calls() -> set[str]:
    import re

    called = set()
    for path in (ROOT / "bot").rglob("*.py"):
        if path.relative_to(ROOT / "bot").parts[0] in NOT_THE_BOT:
            continue
        called |= set(
            re.findall(
                r"\.((?:auth|chat|conversations|users|usergroups|views)_\w+)\(", path.read_text()
            )
        )
    return called


def _events_the_bot_handles() -> set[str]:
    import re

    return {
        e
        for path in (ROOT / "bot").rglob("*.py")
        for e in re.findall(r"\.event\(\"(\w+)\"\)", path.read_text())
    }


def test_scopes_are_exactly_those_the_methods_the_bot_calls_need(manifest):
    called = _methods_the_bot_calls()
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these methods' scopes to METHOD_SCOPES: {sorted(unknown)}"
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == _events_the_bot_handles() == set(EVENT_SCOPES)
    needed = {"commands"}.union(*(METHOD_SCOPES[m] for m in called), *EVENT_SCOPES.values())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_home_shortcut_and_previews_match_the_code(manifest):
    from bot.ids import Shortcut
    from bot.settings import Settings

    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    (shortcut,) = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", Shortcut.INSPECT_MESSAGE)
    host = Settings().seekr_app_url.split("//", 1)[1]
    assert manifest["features"]["unfurl_domains"] == [host]


def _ids_in(surface: dict) -> tuple[set[str], set[str]]:
    actions, blocks = set(), set()

    def walk(node):
        if isinstance(node, dict):
            if "action_id" in node:
                actions.add(node["action_id"])
            if "block_id" in node:
                blocks.add(node["block_id"].split("|", 1)[0])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(surface)
    return actions, blocks


def test_every_id_the_surfaces_use_is_declared_in_bot_ids():
    job = DataJobDetail(
        id="dj-1",
        user_id="u",
        name="n",
        job_type="principle_files",
        created_at=NOW,
        updated_at=NOW,
        status="running",
    )
    many = [
        DataJob(**job.model_dump(include=set(DataJob.model_fields)) | {"id": f"dj-{i}"})
        for i in range(60)
    ]
    surfaces = [
        job_card(job, now=NOW),
        list_message([job], ListState(offset=10), has_more=True),
        list_message(many, ListState(limit=60), has_more=False),
        rename_modal(RenameMeta(job_id="dj-1"), "n"),
    ]
    actions, blocks = set(), set()
    for s in surfaces:
        a, b = _ids_in(s)
        actions |= a
        blocks |= b
    assert actions <= {a.value for a in Action}
    assert blocks <= {b.value for b in Block}
    assert rename_modal(RenameMeta(job_id="dj-1"), "n")["callback_id"] == View.RENAME
    assert {Action.LIST_NEXT, Action.LIST_PREV, Action.JOB_CANCEL, Action.ROW_PICK} <= actions
