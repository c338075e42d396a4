"""/datajobs list, inspect, rename, cancel and help, driven over HTTP as Slack does."""

from __future__ import annotations

from bot.ids import Action
from sandbox.playground.blockcheck import block_problems
from tests.support.fixtures_bot import all_text, api_requests, element


def test_empty_text_and_help_show_usage_without_calling_seekrflow(bot, simulator):
    simulator.control.clear_requests()
    for text in ("", "help"):
        response, _ = bot.command(text)
        assert response.status_code == 200
        shown = all_text(response.json())
        for sub in ("list", "inspect", "rename", "cancel"):
            assert f"/datajobs {sub}" in shown
        assert "e.g." in shown
    assert api_requests(simulator) == []


def test_unknown_subcommand_gets_help_naming_it(bot, simulator):
    response, _ = bot.command("frobnicate dj-1")
    body = response.json()
    assert "I don't know `frobnicate`" in all_text(body)
    assert "/datajobs list" in all_text(body)


def test_list_acks_at_once_then_shows_a_page_of_ten(bot, simulator):
    response, url = bot.command("list")
    assert response.status_code == 200
    assert response.json()["text"] == "Fetching your data jobs…"
    msg = bot.reply(url)
    rows = [b for b in msg["blocks"] if b.get("accessory")]
    assert len(rows) == 10
    assert "showing 1–10" in all_text(msg)
    assert "<!date^" in rows[0]["text"]["text"]
    assert element(msg, Action.LIST_NEXT) is not None  # the seed has more than 10 jobs
    assert element(msg, Action.LIST_PREV) is None  # first page
    assert block_problems(msg["blocks"], limit=50) == []
    lists = [r for r in api_requests(simulator) if r["path"] == "/v1/flow/data-jobs"]
    assert lists[-1]["query"].get("limit") in ("11", 11)  # one more than shown


def test_list_options_reach_seekrflow(bot, simulator):
    simulator.control.clear_requests()
    msg = bot.ask("list type:principle_files sort:name order:asc limit:3")
    rows = [b for b in msg["blocks"] if b.get("accessory")]
    assert 1 <= len(rows) <= 3
    names = [r["text"]["text"].split("*")[1] for r in rows]
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    assert all("principle_files" in r["text"]["text"] for r in rows)
    (req,) = api_requests(simulator)
    assert req["query"]["job_type"] == "principle_files"
    assert req["query"]["sort_by"] == "name" and req["query"]["sort_order"] == "asc"


def test_bad_list_option_is_explained_with_no_request(bot, simulator):
    simulator.control.clear_requests()
    response, _ = bot.command("list limit:500")
    assert "`limit:` must be a number from 1 to 100" in all_text(response.json())
    response, _ = bot.command("list sort:size")
    assert "`sort:` must be one of" in all_text(response.json())
    assert api_requests(simulator) == []


def test_pages_next_only_when_a_further_page_exists(make_bot, simulator):
    simulator.control.add_key("key-few", user_id="user-few")
    for i in range(4):
        simulator.control.create_job(f"few {i}", api_key="key-few")
    bot = make_bot(seekr_api_key="key-few")
    msg = bot.ask("list limit:2")
    assert element(msg, Action.LIST_NEXT) is not None
    exact = bot.ask("list limit:4")
    assert len([b for b in exact["blocks"] if b.get("accessory")]) == 4
    assert element(exact, Action.LIST_NEXT) is None  # 4 jobs, 4 shown: no empty page


def test_inspect_shows_the_job_card(bot, simulator):
    job = simulator.control.create_job(
        "Quarterly docs",
        status="running",
        files=[{"filename": "ok.pdf"}, {"filename": "scan.pdf", "error": "Unreadable PDF"}],
    )
    msg = bot.ask(f"inspect {job['id']}")
    text = all_text(msg)
    assert "Quarterly docs" in text and job["id"] in text and "running" in text
    assert "scan.pdf" in text and "Unreadable PDF" in text and "_Fix:_" in text
    assert "failed: 1" in text
    cancel = element(msg, Action.JOB_CANCEL)
    assert cancel["style"] == "danger" and "Quarterly docs" in cancel["confirm"]["text"]["text"]
    assert element(msg, Action.JOB_REFRESH) and element(msg, Action.JOB_RENAME)


def test_inspect_of_a_finished_job_has_no_cancel_button(bot, simulator):
    job = simulator.control.create_job("Done job", status="completed")
    msg = bot.ask(f"inspect {job['id']}")
    assert element(msg, Action.JOB_CANCEL) is None
    assert ":white_check_mark: completed" in all_text(msg)


def test_rename_unescapes_what_slack_escaped_once(bot, simulator):
    job = simulator.control.create_job("Old name", status="ready_to_start")
    # The person typed:  R&D <beta> &amp; co   (Slack escapes & < > before sending)
    msg = bot.ask(f"rename {job['id']} R&amp;D &lt;beta&gt; &amp;amp; co")
    assert simulator.control.job(job["id"])["name"] == "R&D <beta> &amp; co"
    text = all_text(msg)
    assert "*Old name*" in text and "R&amp;D &lt;beta&gt; &amp;amp; co" in text


def test_rename_after_alignment_started_is_explained(bot, simulator):
    job = simulator.control.create_job("Locked", status="running")
    msg = bot.ask(f"rename {job['id']} New")
    assert "can no longer be renamed: alignment has started" in all_text(msg)
    assert simulator.control.job(job["id"])["name"] == "Locked"


def test_cancel_cancels_and_says_who(bot, simulator):
    job = simulator.control.create_job("To cancel", status="queued")
    msg = bot.ask(f"cancel {job['id']}")
    assert simulator.control.job(job["id"])["status"] == "cancelled"
    text = all_text(msg)
    assert "Cancelled by <@U0ALICE> at <!date^" in text and "cancelled" in text


def test_cancel_of_a_finished_job_tells_its_status(bot, simulator):
    job = simulator.control.create_job("Finished", status="completed")
    msg = bot.ask(f"cancel {job['id']}")
    assert "Not cancelled" in all_text(msg) and "completed" in all_text(msg)
    cancels = [r for r in api_requests(simulator) if r["path"].endswith("/cancel")]
    assert [r["status"] for r in cancels] == [304]  # SeekrFlow said: not cancellable


def test_malformed_id_is_refused_before_any_request(bot, simulator):
    simulator.control.clear_requests()
    for text in ("inspect dj-../../etc/passwd", "cancel dj-a/b", "rename dj-%2e%2e x", "inspect"):
        response, _ = bot.command(text)
        assert response.status_code == 200
        assert ":warning:" in all_text(response.json())
    assert api_requests(simulator) == []


def test_a_path_typed_as_a_name_only_reads_the_list(bot, simulator):
    simulator.control.clear_requests()
    for text in ("inspect ../../etc/passwd", "cancel a/b", "rename %2e%2e x"):
        assert "No job whose name is or contains" in all_text(bot.ask(text))
    assert {r["path"] for r in api_requests(simulator)} == {"/v1/flow/data-jobs"}


def test_a_list_of_100_and_a_card_with_500_failed_files_are_accepted_by_slack(
    make_bot, simulator, fake_slack
):
    simulator.control.add_key("key-big", user_id="user-big")
    for i in range(101):
        simulator.control.create_job(
            f"<b>bulk</b> job {i} " + "x" * 200,
            api_key="key-big",
            status="running" if i % 2 else "completed",
        )
    big = simulator.control.create_job(
        "Many files",
        api_key="key-big",
        status="needs_review",
        files=[
            {"filename": f"doc-{i}.pdf", "error": "Unreadable PDF " + "z" * 150} for i in range(500)
        ],
    )
    bot = make_bot(seekr_api_key="key-big")
    for text in ("list limit:100", f"inspect {big['id']}"):
        _, url = bot.command(text)
        (post,) = bot.fake.wait_for(lambda f, url=url: f.response_url_posts(url))
        assert post.get("result"), post  # the fake Slack enforces Block Kit's limits
        assert len(post["body"]["blocks"]) <= 50
        assert block_problems(post["body"]["blocks"], limit=50) == []
        if text.startswith("list"):  # 101 jobs: a further page exists
            assert element(post["body"], Action.LIST_NEXT) is not None
    assert "more failed files" in all_text(post["body"])


def test_a_key_typed_as_a_subcommand_is_not_echoed(bot, simulator):
    secret = "sk-live-4f9a8c7d6e5b4a3f2e1d0c9b8a7f6e5d"
    response, _ = bot.command(secret)
    shown = all_text(response.json())
    assert secret not in shown and "4f9a8c7d6e5b" not in shown
    assert "rotate it now" in shown
    assert "/datajobs login" in shown
    assert api_requests(simulator) == []
