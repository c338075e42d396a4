"""App Home, the "Inspect data jobs" message shortcut and link previews, over HTTP."""

from __future__ import annotations

import pytest

from bot.ids import Action, Shortcut
from bot.store import generate_key
from tests.support.fixtures_bot import all_text, api_requests

KEY = "key-surfaces"
APP = "https://flow.seekr.com"


@pytest.fixture
def surfaces(make_bot, simulator):
    """A bot whose team key sees only the jobs these tests make."""
    simulator.control.add_key(KEY, user_id="user-surfaces")
    return make_bot(seekr_api_key=KEY, poll_interval=3600)  # the watcher reads nothing meanwhile


def _job(simulator, name, status="running", api_key=KEY):
    return simulator.control.create_job(name, api_key=api_key, status=status)


def _home(bot, user="U0ALICE", after=None):
    """The Home view published for ``user`` (a newer one than ``after``, when given)."""
    return bot.wait(
        lambda f: (h := f.home(user)) and h.get("hash") != (after or {}).get("hash") and h
    )


def _buttons(view, action_id):
    found = []
    for b in view["blocks"]:
        for el in [b.get("accessory"), *(b.get("elements") or [])]:
            if isinstance(el, dict) and el.get("action_id") == action_id:
                found.append((b, el))
    return found


def test_home_shows_what_needs_you_what_runs_and_your_subscriptions(surfaces, simulator):
    review = _job(simulator, "Quarterly <!channel> review", status="needs_review")
    running = _job(simulator, "Support tickets refresh")
    followed = _job(simulator, "Followed job", status="queued")
    simulator.control.tick(90)  # the running job makes progress
    surfaces.ask(f"subscribe {followed['id']}")
    # the watcher reads the new subscription's jobs once; Home's reads are counted after that
    surfaces.wait(lambda f: any(r["path"] == "/v1/flow/data-jobs" for r in api_requests(simulator)))
    simulator.control.clear_requests()
    assert surfaces.driver.open_home().status_code == 200
    home = _home(surfaces)
    text = all_text(home)
    assert home["type"] == "home"
    assert "team key" in text and "operator" in text  # who acts for me
    assert _buttons(home, Action.HOME_LOGIN)
    assert "Quarterly" in text and "<!channel>" not in text  # escaped
    (needs,) = [e for _, e in _buttons(home, Action.HOME_SKIP_START)]
    assert review["id"] in needs["value"]  # its next action
    progress = simulator.control.job(running["id"])["alignment_job"]["progress"]
    assert progress > 0 and f"{progress:.0f}%" in text and "ETA" in text
    assert "Followed job" in text and _buttons(home, Action.HOME_UNSUBSCRIBE)
    lists = [r for r in api_requests(simulator) if r["path"] == "/v1/flow/data-jobs"]
    assert len(lists) == 1
    # opening it again soon reads nothing from SeekrFlow
    simulator.control.clear_requests()
    surfaces.driver.open_home()
    _home(surfaces, after=home)
    assert [r for r in api_requests(simulator) if r["path"] == "/v1/flow/data-jobs"] == []


def test_unsubscribing_from_home_refreshes_it(surfaces, simulator):
    followed = _job(simulator, "Followed job", status="queued")
    surfaces.ask(f"subscribe {followed['id']}")
    surfaces.driver.open_home()
    home = _home(surfaces)
    ((_, button),) = _buttons(home, Action.HOME_UNSUBSCRIBE)
    surfaces.driver.click(Action.HOME_UNSUBSCRIBE, button["value"], view=home)
    after = _home(surfaces, after=home)
    assert not _buttons(after, Action.HOME_UNSUBSCRIBE)
    assert "You follow no job" in all_text(after)


def test_retry_from_home_sends_the_card_and_reads_afresh(surfaces, simulator):
    failed = _job(simulator, "Broken ingest", status="failed")
    surfaces.driver.open_home()
    home = _home(surfaces)
    ((_, retry),) = _buttons(home, Action.HOME_RETRY)
    surfaces.driver.click(Action.HOME_RETRY, retry["value"], view=home)
    after = _home(surfaces, after=home)
    assert "Retry" in all_text(after) and "Messages tab" in all_text(after)
    dm = surfaces.wait(lambda f: f.messages("D0ALICE"))
    assert "Broken ingest (retry 1)" in all_text(dm[-1])
    assert simulator.control.job(failed["id"])["status"] == "failed"  # the original stays


def test_home_still_opens_when_seekrflow_fails_and_says_why(surfaces, simulator):
    followed = _job(simulator, "Followed job", status="queued")
    surfaces.ask(f"subscribe {followed['id']}")
    simulator.control.add_fault(503, count=10)
    surfaces.driver.open_home()
    home = _home(surfaces)
    simulator.control.clear_faults()
    text = all_text(home)
    assert "I could not read your jobs" in text and "HTTP 503" in text
    assert "Followed job" in text and _buttons(home, Action.HOME_UNSUBSCRIBE)  # the rest shows
    assert _buttons(home, Action.HOME_REFRESH)


def test_a_person_with_no_key_sees_how_to_link_one(make_bot, simulator):
    bot = make_bot(seekr_api_key=None, bot_encryption_key=generate_key())
    bot.driver.open_home("U0BOB")
    home = _home(bot, "U0BOB")
    assert "No SeekrFlow key acts for you" in all_text(home)
    assert _buttons(home, Action.HOME_LOGIN)


def test_the_shortcut_on_a_message_with_two_ids_shows_both_cards(surfaces, simulator):
    a = _job(simulator, "First job")
    b = _job(simulator, "Second job", status="completed")
    msg = surfaces.fake.post_as(
        "C0DATAJOBS", "U0BOB", f"Can someone look at {a['id']} and {b['id'].upper()}? {a['id']}"
    )
    assert surfaces.driver.shortcut(Shortcut.INSPECT_MESSAGE, msg).status_code == 200
    posts = surfaces.replies(surfaces.driver.last_response_url, count=2)
    texts = [all_text(p) for p in posts]
    assert any("First job" in t and a["id"] in t for t in texts)
    assert any("Second job" in t and b["id"] in t for t in texts)
    assert all(p["response_type"] == "ephemeral" for p in posts)
    assert len(surfaces.fake.response_url_posts(surfaces.driver.last_response_url)) == 2


def test_the_shortcut_on_a_message_without_ids_says_so(surfaces, simulator):
    msg = surfaces.fake.post_as("C0DATAJOBS", "U0BOB", "lunch? dj-123 is not an id")
    surfaces.driver.shortcut(Shortcut.INSPECT_MESSAGE, msg)
    (post,) = surfaces.replies(surfaces.driver.last_response_url)
    assert "found no data job id" in all_text(post)


def test_a_pasted_link_is_unfurled_and_one_the_key_cannot_see_is_not(surfaces, simulator):
    mine = _job(simulator, "Linked <b>job</b>")
    simulator.control.add_key("key-other", user_id="user-other")
    hidden = _job(simulator, "Someone else's job", api_key="key-other")
    text = (
        f"see <{APP}/data-jobs/{mine['id']}> and <{APP}/data-jobs/{hidden['id']}|theirs>, "
        f"not <https://example.com/{mine['id']}>"
    )
    msg = surfaces.driver.share(text)
    unfurled = surfaces.wait(lambda f: f.message("C0DATAJOBS", msg["ts"]).get("unfurls"))
    assert list(unfurled) == [f"{APP}/data-jobs/{mine['id']}"]
    (preview,) = unfurled.values()
    shown = all_text(preview)
    assert "Linked &lt;b&gt;job&lt;/b&gt;" in shown and mine["id"] in shown
    assert preview["blocks"][0]["accessory"]["action_id"] == Action.ROW_INSPECT
    # its Inspect button opens the card, for whoever clicks it
    shared = surfaces.fake.message("C0DATAJOBS", msg["ts"])
    surfaces.driver.click(
        Action.ROW_INSPECT, preview["blocks"][0]["accessory"]["value"], message=shared
    )
    card = surfaces.reply(surfaces.driver.last_response_url)
    assert "Linked" in all_text(card) and "Refresh" in all_text(card)


def test_a_link_to_a_job_nobody_can_see_is_left_alone(surfaces, simulator):
    simulator.control.add_key("key-other", user_id="user-other")
    hidden = _job(simulator, "Someone else's job", api_key="key-other")
    msg = surfaces.driver.share(f"<{APP}/data-jobs/{hidden['id']}>")
    # the bot read it (and was refused)
    surfaces.wait(lambda f: any(r["path"].endswith(hidden["id"]) for r in api_requests(simulator)))
    later = surfaces.driver.share(f"<{APP}/data-jobs/{_job(simulator, 'Visible')['id']}>")
    surfaces.wait(lambda f: f.message("C0DATAJOBS", later["ts"]).get("unfurls"))
    assert len(surfaces.fake.calls("chat.unfurl")) == 1  # only the visible one
    assert "unfurls" not in surfaces.fake.message("C0DATAJOBS", msg["ts"])


def test_the_shortcut_shows_a_modal_where_an_ephemeral_cannot_go(surfaces, simulator):
    job = _job(simulator, "Modal job")
    msg = surfaces.fake.post_as("C0DATAJOBS", "U0BOB", f"{job['id']} ?")
    surfaces.fake.add_fault("response_url", error="channel_not_found", status=404, count=5)
    try:
        surfaces.driver.shortcut(Shortcut.INSPECT_MESSAGE, msg)
        (view,) = surfaces.wait(lambda f: f.open_views("U0ALICE"))
    finally:
        surfaces.fake.clear_faults()
    assert "Modal job" in all_text(view) and job["id"] in all_text(view)
