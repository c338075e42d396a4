"""Naming jobs without ids (prefixes, names in quotes) and filtering the list, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.ids import Action
from sandbox.playground.blockcheck import block_problems
from tests.support.fixtures_bot import all_text, api_requests, element

KEY = "key-finder"
STATUSES = ("running", "failed", "completed", "needs_review", "cancelled")


@pytest.fixture
def finder(make_bot, simulator):
    """A bot whose team key sees only the jobs these tests make."""
    simulator.control.add_key(KEY, user_id="user-finder")
    return make_bot(seekr_api_key=KEY)


def _job(simulator, name, status="running"):
    return simulator.control.create_job(name, api_key=KEY, status=status)


def _rows(msg):
    return [b for b in msg["blocks"] if b.get("accessory")]


def _changes(simulator):
    return [r for r in api_requests(simulator) if r["method"] != "GET"]


def test_inspect_and_cancel_by_prefix(finder, simulator):
    job = _job(simulator, "Payroll export")
    _job(simulator, "Another job")
    prefix = job["id"][:9].upper()  # "dj-" and 6 hex digits, in any case
    card = finder.ask(f"inspect {prefix}")
    assert "Payroll export" in all_text(card) and job["id"] in all_text(card)
    finder.ask(f"cancel {prefix}")
    assert simulator.control.job(job["id"])["status"] == "cancelled"


def test_inspect_and_cancel_by_quoted_name(finder, simulator):
    job = _job(simulator, "Customer support refresh")
    _job(simulator, "Customer support")  # a part of the other name: exact match wins
    other = _job(simulator, "Nightly ingest")
    card = finder.ask('inspect "customer SUPPORT refresh"')
    assert job["id"] in all_text(card)
    card = finder.ask("inspect “Customer support”")  # typographic quotes, exact name
    assert "Customer support refresh" not in all_text(card)
    assert finder.ask("inspect nightly")["blocks"]  # a unique part of a name
    finder.ask('cancel "Customer support refresh"')
    assert simulator.control.job(job["id"])["status"] == "cancelled"
    assert simulator.control.job(other["id"])["status"] == "running"


def test_rename_by_quoted_name(finder, simulator):
    job = _job(simulator, "Old name", status="file_processing")
    said = finder.ask('rename "old name" Brand new name')
    assert "Brand new name" in all_text(said)
    assert simulator.control.job(job["id"])["name"] == "Brand new name"


def test_an_ambiguous_name_shows_the_matches_and_changes_nothing(finder, simulator):
    a = _job(simulator, "Nightly ingest EU")
    b = _job(simulator, "Nightly ingest US")
    simulator.control.clear_requests()
    shown = finder.ask("cancel nightly")
    text = all_text(shown)
    assert "2 jobs" in text and "nothing" in text
    buttons = [r["accessory"] for r in _rows(shown)]
    assert [x["action_id"] for x in buttons] == [Action.ROW_INSPECT] * 2
    assert a["id"] in text and b["id"] in text
    assert _changes(simulator) == []  # no cancel was sent
    assert {simulator.control.job(j["id"])["status"] for j in (a, b)} == {"running"}
    # a match's Inspect button opens its card
    finder.driver.click(Action.ROW_INSPECT, buttons[0]["value"], message=finder.shown(
        finder.driver.last_response_url))  # fmt: skip
    card = finder.reply(finder.driver.last_response_url)
    assert "Nightly ingest" in all_text(card)


def test_no_match_says_so_and_suggests_list_name(finder, simulator):
    _job(simulator, "Payroll export")
    text = all_text(finder.ask('inspect "<!channel> quarterly"'))
    assert "No job" in text and "list name:" in text
    assert "<!channel>" not in text  # what was typed is escaped
    text = all_text(finder.ask("cancel dj-abcdef"))
    assert "No job whose id starts with `dj-abcdef`" in text


def test_a_refused_change_by_name_reads_nothing(simulator, finder):
    _job(simulator, "Payroll export")
    simulator.control.clear_requests()
    text = all_text(finder.ask('cancel "Payroll export"', user="U0BOB"))  # not an operator
    assert "can't" in text
    assert api_requests(simulator) == []


def _mixed(simulator, count=150):
    jobs = []
    for i in range(count):
        status = STATUSES[i % len(STATUSES)]
        name = f"{'Payroll' if i % 3 == 0 else 'Inventory'} batch {i:03d}"
        jobs.append(_job(simulator, name, status=status))
    return jobs


def _page_through(bot, text):
    """Every page of a list, following Next; (rows of each page, last message)."""
    _, url = bot.command(text)
    bot.reply(url)
    msg = bot.shown(url)
    pages = [_rows(msg)]
    while element(msg, Action.LIST_NEXT) is not None:
        assert len(pages) < 20
        bot.driver.click(Action.LIST_NEXT, message=msg)
        bot.replies(bot.driver.last_response_url)
        msg = bot.fake.message(msg["channel"], msg["ts"])
        pages.append(_rows(msg))
    return pages, msg


def test_list_status_failed_over_150_mixed_jobs_pages_right(finder, simulator):
    jobs = _mixed(simulator)
    failed = {j["id"] for j in jobs if j["status"] == "failed"}
    assert len(failed) == 30
    pages, last = _page_through(finder, "list status:failed limit:8")
    assert [len(p) for p in pages] == [8, 8, 8, 6]  # full pages until the jobs run out
    shown = [r["text"]["text"] for p in pages for r in p]
    ids = {i for i in failed if any(i in t for t in shown)}
    assert ids == failed and len(shown) == len(failed)  # each once, none missing
    assert "status failed" in all_text(last) and "reading 150 job(s)" in all_text(last)
    assert block_problems(last["blocks"], limit=50) == []


def test_list_name_and_status_combined_pages_right(finder, simulator):
    jobs = _mixed(simulator)
    wanted = {
        j["id"]
        for j in jobs
        if "payroll" in j["name"].lower() and j["status"] in ("running", "failed")
    }
    pages, last = _page_through(finder, "list name:PAYROLL status:running,failed limit:7")
    shown = [r["text"]["text"] for p in pages for r in p]
    assert all(len(p) == 7 for p in pages[:-1]) and 0 < len(pages[-1]) <= 7
    assert {i for i in wanted if any(i in t for t in shown)} == wanted
    assert len(shown) == len(wanted)
    assert all("Payroll" in t for t in shown)
    assert "name contains “PAYROLL”" in all_text(last)


def test_list_name_in_quotes_and_no_match(finder, simulator):
    _mixed(simulator, 20)
    msg = finder.ask('list name:"batch 007"')
    assert len(_rows(msg)) == 1 and "batch 007" in all_text(msg)
    assert element(msg, Action.LIST_NEXT) is None
    msg = finder.ask("list name:nothing-like-this")
    assert "No data jobs that this key can see that match" in all_text(msg)


def test_bad_status_filter_is_explained_with_no_request(finder, simulator):
    simulator.control.clear_requests()
    response, _ = finder.command("list status:broken")
    text = all_text(response.json())
    assert "`status:` takes job statuses" in text and "`needs_review`" in text
    assert api_requests(simulator) == []


def test_past_1000_jobs_a_name_is_looked_for_no_further_and_the_person_is_told(finder, simulator):
    start = datetime.now(UTC) - timedelta(days=10)
    for i in range(1050):  # the oldest 50 are beyond the bound
        simulator.control.create_job(f"Bulk {i:04d}", api_key=KEY, status="completed",
                                     created_at=start + timedelta(minutes=i))  # fmt: skip
    simulator.control.clear_requests()
    text = all_text(finder.ask("inspect 0007"))  # only "Bulk 0007": among the oldest 50
    assert "newest 1,000 jobs" in text and "Give the job's id" in text
    reads = [r for r in api_requests(simulator) if r["path"] == "/v1/flow/data-jobs"]
    pages = sorted(int(r["query"]["offset"]) for r in reads if r["query"]["limit"] == "100")
    assert pages == list(range(0, 1000, 100))  # bounded: 10 pages of 100
    assert len(reads) <= 11  # and a probe of one job, whether any lie beyond
    shown = finder.ask("inspect 1049")  # a part of the newest: shown, not used
    assert "there may be others" in all_text(shown) and "Bulk 1049" in all_text(shown)
    assert "Recent events" not in all_text(shown)
    card = finder.ask('inspect "bulk 1049"')  # the exact name is used
    assert "Recent events" in all_text(card)
