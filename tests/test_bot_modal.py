"""The rename modal: opened from the card, validated inline, outcome after it closes."""

from __future__ import annotations

from bot.ids import Action, Block, View
from tests.support.fixtures_bot import all_text, api_requests


def _open_rename(bot, simulator, name="Before", status="ready_to_start"):
    job = simulator.control.create_job(name, status=status)
    _, url = bot.command(f"inspect {job['id']}", channel="C0DATAJOBS")
    bot.reply(url)
    card = bot.shown(url)
    bot.driver.click(Action.JOB_RENAME, message=card)
    view = bot.wait(
        lambda f: [v for v in f.open_views("U0ALICE") if v.get("callback_id") == View.RENAME]
    )[-1]
    return job, view


def _submit(bot, view, name):
    return bot.driver.submit(view, {Block.RENAME_NAME: {Action.RENAME_INPUT: name}})


def _input(view):
    return next(b for b in view["blocks"] if b.get("block_id") == Block.RENAME_NAME)


def test_modal_opens_with_the_current_name(bot, simulator):
    _, view = _open_rename(bot, simulator, name="Current & <name>")
    element = _input(view)["element"]
    assert element["initial_value"] == "Current & <name>"  # an input shows raw text
    assert element["max_length"] == 255


def test_valid_name_renames_and_tells_the_person_where_they_were(bot, simulator, fake_slack):
    job, view = _open_rename(bot, simulator)
    response = _submit(bot, view, "  After  ")
    assert response.status_code == 200 and not response.content.strip()  # closes the modal
    ephemeral = bot.wait(
        lambda f: [
            m for m in f.ephemerals("C0DATAJOBS", "U0ALICE") if "Renamed" in m.get("text", "")
        ]
    )
    assert "*Before*" in ephemeral[-1]["text"] and "*After*" in ephemeral[-1]["text"]
    assert simulator.control.job(job["id"])["name"] == "After"


def test_empty_name_is_an_inline_error_with_no_request(bot, simulator):
    job, view = _open_rename(bot, simulator)
    simulator.control.clear_requests()
    response = _submit(bot, view, "   ")
    body = response.json()
    assert body["response_action"] == "errors"
    assert "Give the job a name" in body["errors"][Block.RENAME_NAME]
    assert not [r for r in api_requests(simulator) if r["method"] == "PATCH"]
    assert simulator.control.job(job["id"])["name"] == "Before"


def test_too_long_name_is_an_inline_error_with_no_request(bot, simulator):
    job, view = _open_rename(bot, simulator)
    simulator.control.clear_requests()
    body = _submit(bot, view, "x" * 256).json()
    assert body["response_action"] == "errors"
    assert "256 characters" in body["errors"][Block.RENAME_NAME]
    assert api_requests(simulator) == []
    assert _submit(bot, view, "y" * 255).status_code == 200  # 255 is allowed
    bot.wait(lambda f: simulator.control.job(job["id"])["name"] == "y" * 255)


def test_locked_job_is_explained_after_the_modal_closes(bot, simulator):
    job, view = _open_rename(bot, simulator, name="Running job", status="running")
    _submit(bot, view, "New name")
    ephemeral = bot.wait(
        lambda f: [
            m
            for m in f.ephemerals("C0DATAJOBS", "U0ALICE")
            if "can no longer be renamed" in m.get("text", "")
        ]
    )
    assert ephemeral and "alignment has started" in ephemeral[-1]["text"]
    assert simulator.control.job(job["id"])["name"] == "Running job"


def test_outcome_goes_to_a_dm_when_the_channel_refuses(bot, simulator, fake_slack):
    _, view = _open_rename(bot, simulator)
    fake_slack.fake.add_fault("chat.postEphemeral", error="channel_not_found")
    _submit(bot, view, "Renamed in DM")
    dm = bot.wait(
        lambda f: [
            m
            for ch, msgs in f.all_messages().items()
            if ch.startswith("D")
            for m in msgs
            if "Renamed" in m.get("text", "")
        ]
    )
    assert "Renamed in DM" in dm[-1]["text"]


def test_forged_metadata_is_refused_inline(bot, simulator):
    _, view = _open_rename(bot, simulator)
    view["private_metadata"] = '{"j": "../../admin"}'
    simulator.control.clear_requests()
    body = _submit(bot, view, "Anything").json()
    assert "out of date" in body["errors"][Block.RENAME_NAME]
    assert api_requests(simulator) == []


def test_rename_of_an_unknown_job_shows_why_in_the_modal(bot, simulator):
    job = simulator.control.create_job("Real", status="ready_to_start")
    _, url = bot.command(f"inspect {job['id']}")
    bot.reply(url)
    card = bot.shown(url)
    ghost = '{"j": "dj-00000000-0000-0000-0000-000000000000", "n": "Ghost"}'
    bot.driver.click(Action.JOB_RENAME, ghost, message=card)
    view = bot.wait(
        lambda f: [v for v in f.open_views("U0ALICE") if "There is no data job" in all_text(v)]
    )[-1]
    assert "dj-00000000-0000-0000-0000-000000000000" in all_text(view)
    assert not [b for b in view["blocks"] if b["type"] == "input"]  # nothing to submit
