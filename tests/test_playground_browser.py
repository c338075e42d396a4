"""End to end in a real headless browser: the demo's playground, as a person uses it.

The demo stack (simulator, bot, playground) runs in this process on a private
redis-server; Chromium drives the page. The simulator's clock is paused so the
jobs hold still; the test moves them through the simulator's control API.
Screenshots of the steps go to docs/screenshots/ (README shows them).
"""

from __future__ import annotations

import re

import httpx
import pytest
import redis
from playwright.sync_api import expect

from bot.settings import load_settings
from sandbox.demo import SIM_API_KEY, start_demo
from sandbox.harness.ports import port_for_later
from sandbox.simulator.control import SimulatorControl
from tests.support.browser import Browser, message, screenshot, type_command

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(redis_server):
    r = redis.Redis.from_url(redis_server.url)
    r.flushall()
    r.close()
    running = start_demo(load_settings(), port=port_for_later(), seed=7, redis_url=redis_server.url)
    control = SimulatorControl(running.simulator_url)
    control.pause()
    try:
        yield running, control
    finally:
        control.close()
        running.stop()


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def page(demo, browser):
    running, _ = demo
    page = browser.page(running.url)
    yield page
    page.close()
    assert browser.errors == [], browser.errors


def jobs(demo, **params) -> list[dict]:
    running, _ = demo
    r = httpx.get(
        f"{running.simulator_url}/v1/flow/data-jobs",
        params={"limit": 100, "sort_by": "created_at", "sort_order": "desc", **params},
        headers={"Authorization": SIM_API_KEY},
        timeout=10,
    )
    r.raise_for_status()
    body = r.json()
    return body["data"] if isinstance(body, dict) else body


def ids_shown(msg) -> list[str]:
    return [c for c in msg.locator("code").all_inner_texts() if c.startswith("dj-")]


def test_list_page_inspect_rename_cancel_subscribe(demo, page):
    _, control = demo
    everything = jobs(demo)
    # ---- list: the first page of jobs, newest first, as the simulator holds them
    type_command(page, "/datajobs list")
    first = message(page, "showing 1–10")
    assert ids_shown(first) == [j["id"] for j in everything[:10]]
    assert first.get_by_role("button", name="Next ▶").is_visible()
    screenshot(page, "list")

    # ---- page: Next replaces the list in place with the next ten, Previous goes back
    ts = first.get_attribute("data-ts")
    first.get_by_role("button", name="Next ▶").click()
    second = message(page, "showing 11–20")
    assert second.get_attribute("data-ts") == ts
    assert ids_shown(second) == [j["id"] for j in everything[10:20]]
    second.get_by_role("button", name="◀ Previous").click()
    first = message(page, "showing 1–10")

    # ---- inspect a job that has not started yet, and rename it through the modal
    waiting = next(
        j
        for j in everything[:10]
        if j["status"] in ("file_processing", "ready_to_start", "needs_review")
    )
    row = first.locator(".blk-section").filter(has_text=waiting["id"])
    row.get_by_role("button", name="Inspect").click()
    card = message(page, "Recent events")
    assert waiting["name"] in card.inner_text() and waiting["id"] in card.inner_text()
    card.get_by_role("button", name="Rename").click()
    modal = page.locator(".modal")
    field = modal.locator(".text-input")
    assert field.input_value() == waiting["name"]
    screenshot(page, "rename_modal")
    field.fill("")
    modal.locator(".modal-submit").click()
    assert modal.locator(".input-error").inner_text() == "Please complete this required field."
    field.fill("   ")  # the bot answers with an inline error
    modal.locator(".modal-submit").click()
    modal.locator(".input-error").filter(has_text="1–255 characters").wait_for()
    assert control.job(waiting["id"])["name"] == waiting["name"]
    field.fill("Q3 <launch> & onboarding")
    modal.locator(".modal-submit").click()
    modal.wait_for(state="detached")
    renamed = message(page, "Renamed")
    assert "Q3 <launch> & onboarding" in renamed.inner_text()
    assert control.job(waiting["id"])["name"] == "Q3 <launch> & onboarding"

    # ---- cancel a running job from its card, through the confirm dialog
    runner = next(j for j in everything[:10] if j["status"] == "running")
    row = first.locator(".blk-section").filter(has_text=runner["id"])
    row.locator(".overflow-btn").click()
    row.locator(".overflow-item").filter(has_text="Inspect").click()
    card = message(page, runner["id"], "Recent events")
    card.get_by_role("button", name="Cancel").click()
    dialog = page.locator(".confirm")
    assert runner["name"] in dialog.inner_text()
    screenshot(page, "cancel_confirm")
    dialog.locator(".confirm-deny").click()  # "keep it": nothing happens
    assert control.job(runner["id"])["status"] == "running"
    card_ts = card.get_attribute("data-ts")
    card.get_by_role("button", name="Cancel").click()
    page.locator(".confirm .confirm-ok").click()
    updated = page.locator(f'#messages .msg[data-ts="{card_ts}"]').filter(has_text="cancelled by")
    updated.wait_for()
    assert "@alice" in updated.inner_text()
    assert control.job(runner["id"])["status"] == "cancelled"
    screenshot(page, "job_card_cancelled")

    # ---- the job card of a running job (for README)
    other = next(j for j in everything[:10] if j["status"] == "running" and j["id"] != runner["id"])
    type_command(page, f"/datajobs inspect {other['id']}")
    card = message(page, other["id"], "Recent events")
    assert card.get_by_role("button", name="Cancel").is_visible()
    screenshot(card, "job_card")

    # ---- subscribe, let the simulator finish the job, see the DM arrive
    type_command(page, f"/datajobs subscribe {other['id']}")
    message(page, "ubscribed")
    control.set_status(other["id"], "completed")
    dm = page.locator("#dm-list .conv")
    dm.and_(page.locator(".unread")).wait_for()
    dm.locator("button").click()
    note = message(page, other["name"])
    assert "completed" in note.inner_text()
    screenshot(page, "notification")

    # ---- snooze a job from its notification; what changes meanwhile waits for one summary
    third = next(
        j
        for j in everything
        if j["status"] == "running" and j["id"] not in (runner["id"], other["id"])
    )
    type_command(page, f"/datajobs subscribe {third['id']} events:needs_review,running,completed")
    message(page, "ubscribed", third["name"])
    control.set_status(third["id"], "needs_review")
    message(page, third["name"], "needs review")
    note = (  # the notification: the one message about the job with a menu of its own
        page.locator("#messages .msg:not(.local-echo)")
        .filter(has_text=third["name"])
        .filter(has=page.locator(".blk-actions .overflow-btn"))
        .first
    )
    note.locator(".overflow-btn").click()
    note.locator(".overflow-item").filter(has_text="Snooze this job for 1 hour").click()
    snoozed = message(page, "Snoozed", third["id"])
    assert "one summary" in snoozed.inner_text()
    screenshot(page, "snooze")
    control.set_status(third["id"], "running")
    type_command(page, "/datajobs subscriptions mine")
    listed = message(page, "Your subscriptions", "snoozed until")
    row = listed.locator(".blk-section").filter(has_text=third["id"])
    page.wait_for_timeout(2500)  # a poll or two: the running job's change is held
    row.locator(".overflow-btn").click()
    row.locator(".overflow-item").filter(has_text="Unsnooze").click()
    message(page, "is back on")
    summary = message(page, "While it was snoozed", third["name"])
    assert "is running" in summary.inner_text()

    # ---- why did that notification come? From the same menu
    note.locator(".overflow-btn").click()
    note.locator(".overflow-item").filter(has_text="Why did I get this?").click()
    why = message(page, "What I saw", third["name"])
    assert "held by a snooze" in why.inner_text() and "sent" in why.inner_text()
    screenshot(page, "why")


def test_login_modal_and_channel_notifications_in_a_thread(demo, page):
    _, control = demo
    # ---- login: the modal is replaced by the bot's answer (response_action update)
    type_command(page, "/datajobs login")
    modal = page.locator(".modal")
    modal.locator(".text-input").first.fill("sim-key-other")
    modal.locator(".modal-submit").click()
    modal.filter(has_text="Key linked").wait_for()
    assert "sim-key-other" not in modal.inner_text()
    modal.get_by_role("button", name="Done").click()
    modal.wait_for(state="detached")
    type_command(page, "/datajobs whoami")
    assert "user-other" in message(page, "user-other").inner_text()
    type_command(page, "/datajobs logout")
    message(page, "forgot")

    # ---- a channel subscription: first event in the channel, later ones in its thread
    job = next(
        j
        for j in jobs(demo)
        if j["status"] == "running" and control.job(j["id"])["status"] == "running"
    )
    type_command(page, f"/datajobs subscribe {job['id']} here")
    message(page, "ubscribed", job["name"])
    control.set_status(job["id"], "needs_review")
    first = (
        page.locator("#messages .msg:not(.ephemeral):not(.local-echo)")
        .filter(has_text=job["name"])
        .last
    )
    first.wait_for()
    assert "review" in first.inner_text()
    control.set_status(job["id"], "completed")
    first.locator(".thread-link").wait_for()
    first.locator(".thread-link").click()
    reply = message(page, job["name"], "completed", where="#thread")
    assert reply.is_visible()
    screenshot(page, "channel_thread")

    # ---- a live card: a running job's first message in the channel shows its progress
    live = control.create_job("live <alignment>", status="queued", running_seconds=600)
    type_command(page, f"/datajobs subscribe {live['id']} here events:running,completed")
    message(page, "ubscribed", "live")
    control.set_status(live["id"], "running")
    card = message(page, "live <alignment>", "is running")
    control.tick(60)
    card.filter(has_text=re.compile(r"[1-9]\d*%")).wait_for()
    assert "left" in card.inner_text()
    screenshot(card, "live_progress")


def test_start_skip_retry_and_claim_without_leaving_slack(demo, page):
    _, control = demo
    everything = jobs(demo)

    def detail(job):
        return control.job(job["id"])

    def card_for(job):
        type_command(page, f"/datajobs inspect {job['id']}")
        return message(page, job["id"], "Recent events")

    def confirm_on(card, name):
        card.get_by_role("button", name=name).click()
        page.locator(".confirm .confirm-ok").click()

    # ---- Start a job that is ready
    ready = next(j for j in everything if detail(j)["status"] == "ready_to_start")
    card = card_for(ready)
    ts = card.get_attribute("data-ts")
    confirm_on(card, "Start")
    page.locator(f'#messages .msg[data-ts="{ts}"]').filter(has_text="Started by").wait_for()
    assert detail(ready)["status"] == "pending"

    # ---- Skip the failed files of a job in review, and start it
    fixable = next(
        j
        for j in everything
        if detail(j)["status"] == "needs_review"
        and 0 < sum(f["status"] == "failed" for f in detail(j)["files"]) < len(detail(j)["files"])
    )
    good = [f["file_id"] for f in detail(fixable)["files"] if f["status"] != "failed"]
    card = card_for(fixable)
    ts = card.get_attribute("data-ts")
    confirm_on(card, "Skip failed files and start")
    page.locator(f'#messages .msg[data-ts="{ts}"]').filter(has_text="removed the failed").wait_for()
    assert [f["file_id"] for f in detail(fixable)["files"]] == good
    assert detail(fixable)["status"] == "pending"
    screenshot(page, "skip_failed_files")

    # ---- Retry a failed job: a copy, started, and the original's card says so
    failed = next(j for j in everything if detail(j)["status"] == "failed")
    card = card_for(failed)
    ts = card.get_attribute("data-ts")
    confirm_on(card, "Retry")
    retried = page.locator(f'#messages .msg[data-ts="{ts}"]').filter(has_text="Retried by")
    retried.wait_for()
    assert f"{failed['name']} (retry 1)" in retried.inner_text()
    screenshot(page, "retry")

    # ---- Claim a job in review from its channel notification
    page.locator("#channel-list .conv").filter(has_text="data-jobs").locator("button").click()
    runner = next(
        j for j in jobs(demo) if j["status"] == "running" and detail(j)["status"] == "running"
    )
    type_command(page, f"/datajobs subscribe {runner['id']} here")
    message(page, "ubscribed", runner["name"])
    control.set_status(runner["id"], "needs_review")
    note = (
        page.locator("#messages .msg:not(.local-echo)")
        .filter(has_text=runner["name"])
        .filter(has=page.get_by_role("button", name="Claim"))
        .last
    )
    note.get_by_role("button", name="Claim").click()
    claimed = page.locator(f'#messages .msg[data-ts="{note.get_attribute("data-ts")}"]')
    claimed.filter(has_text="is on it").wait_for()
    assert claimed.get_by_role("button", name="Unclaim").is_visible()
    screenshot(page, "claim")


def test_names_filters_home_link_previews_and_the_message_shortcut(demo, page):
    page.locator("#channel-list .conv").filter(has_text="data-jobs").locator("button").click()

    # ---- a filtered list, and a job found by its name in quotes
    type_command(page, "/datajobs list status:failed,needs_review")
    listed = message(page, "status needs review or failed")
    assert "Found by reading" in listed.inner_text()
    screenshot(page, "list_filtered")
    everything = jobs(demo)
    named = next(j for j in everything if j["status"] == "running")
    type_command(page, f'/datajobs inspect "{named["name"]}"')
    message(page, named["id"], "Recent events")

    # ---- a link to a job in the SeekrFlow web app gets a preview
    type_command(page, f"have a look: https://flow.seekr.com/data-jobs/{named['id']}")
    shared = message(page, "have a look")
    shared.locator(".unfurl").filter(has_text=named["name"]).wait_for()
    assert shared.locator(".unfurl").get_by_role("button", name="Inspect").is_visible()
    screenshot(shared, "link_preview")

    # ---- the message shortcut: the cards of the jobs a message names
    other = next(j for j in everything if j["status"] == "completed")
    type_command(page, f"is {other['id']} the same as {named['id']}?")
    asked = message(page, "the same as")
    asked.hover()
    asked.locator(".msg-actions .msg-menu-btn").click()
    asked.locator(".msg-actions .msg-menu-item").filter(has_text="Inspect data jobs").click()
    message(page, other["id"], "Recent events")
    message(page, named["id"], "Recent events")
    screenshot(page, "shortcut")

    # ---- App Home: who acts, what needs me, what runs, what I follow
    type_command(page, f"/datajobs subscribe {named['id']}")
    message(page, "ubscribed", named["name"])
    page.locator("#app-list .conv").filter(has_text="Home").locator("button").click()
    home = page.locator("#home")
    home.filter(has_text="Needs you").filter(has_text="Your subscriptions").wait_for()
    text = home.inner_text()
    assert "team key" in text and named["name"] in text and "Running" in text
    assert home.get_by_role("button", name="Unsubscribe").count() >= 1
    screenshot(page, "home")
    home.get_by_role("button", name="Refresh").click()
    home.filter(has_text="Refreshed.").wait_for()
    unsubscribe = home.get_by_role("button", name="Unsubscribe")
    before = unsubscribe.count()
    unsubscribe.first.click()
    expect(unsubscribe).to_have_count(before - 1)
