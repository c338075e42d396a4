"""GET /metrics: Prometheus text whose counters move with what the bot does, and no label
that grows with the number of jobs or people."""

from __future__ import annotations

import re
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.support.fixtures_bot import all_text

ALICE = "U0ALICE"


def scrape(bot) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx.get(f"{bot.url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):  # raises if not Prometheus text
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def wait_for(bot, predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        samples = scrape(bot)
        if predicate(samples):
            return samples
        assert time.monotonic() < deadline, "the metrics never showed it"
        time.sleep(0.2)


def test_counters_move_after_a_command_a_notification_and_a_seekrflow_error(make_bot, simulator):
    bot = make_bot(poll_interval=0.3, delivery_lease=4.0, seekr_timeout=2.0)
    job = simulator.control.create_job("metered", status="running")
    before = scrape(bot)

    # a command: one Slack request acknowledged, one SeekrFlow list call answered 200
    assert "metered" in all_text(bot.ask("list"))
    after = scrape(bot)
    ok = {"kind": "command", "outcome": "ok"}
    assert value(after, "datajobs_slack_requests_total", **ok) == (
        value(before, "datajobs_slack_requests_total", **ok) + 1
    )
    assert value(after, "datajobs_slack_ack_seconds_count", kind="command") == (
        value(before, "datajobs_slack_ack_seconds_count", kind="command") + 1
    )
    listed = {"endpoint": "list", "status": "200"}
    assert value(after, "datajobs_seekrflow_requests_total", **listed) > value(
        before, "datajobs_seekrflow_requests_total", **listed
    )

    # a refused signature is counted, with no kind (nothing of the body was read)
    bot.driver.post(b"command=%2Fdatajobs&text=list", secret="wrong")
    refused = {"kind": "unknown", "outcome": "bad_signature"}
    assert value(scrape(bot), "datajobs_slack_requests_total", **refused) == (
        value(after, "datajobs_slack_requests_total", **refused) + 1
    )

    # a notification: recorded once, delivered once; the subscription counted by kind
    bot.ask(f"subscribe {job['id']}")
    subs = wait_for(bot, lambda s: value(s, "datajobs_subscriptions", kind="job", target="dm") == 1)
    assert value(subs, "datajobs_subscriptions", kind="all", target="dm") == 0
    simulator.control.set_status(job["id"], "completed")
    dm = bot.fake.open_dm(ALICE).id
    bot.wait(lambda f: [m for m in f.messages(dm) if "completed" in m.get("text", "")])
    done = wait_for(
        bot,
        lambda s: (
            value(s, "datajobs_notifications_total", stage="delivered")
            >= value(before, "datajobs_notifications_total", stage="delivered") + 1
        ),
    )
    for stage in ("recorded", "delivered"):
        assert value(done, "datajobs_notifications_total", stage=stage) == (
            value(before, "datajobs_notifications_total", stage=stage) + 1
        ), stage
    assert value(done, "datajobs_polls_total", outcome="ok") > 0
    assert value(done, "datajobs_poll_requests_count") > 0
    assert value(done, "datajobs_outbox_lag_seconds") == 0  # nothing waits any more

    # a SeekrFlow error, counted by its status
    failing = {"endpoint": "list", "status": "503"}
    start = value(done, "datajobs_seekrflow_requests_total", **failing)
    simulator.control.add_fault(503, count=10)
    bot.ask("list")
    simulator.control.clear_faults()
    assert value(scrape(bot), "datajobs_seekrflow_requests_total", **failing) > start


def test_no_label_holds_an_id_and_429s_are_counted_by_method(make_bot, simulator, fake_slack):
    bot = make_bot(poll_interval=0.3, delivery_lease=4.0)
    job = simulator.control.create_job("busy channel", status="running")
    bot.ask(f"subscribe {job['id']}")
    start = value(scrape(bot), "datajobs_slack_ratelimited_total", method="chat.postMessage")
    fake_slack.fake.add_fault("chat.postMessage", status=429, retry_after=1, count=1)
    simulator.control.set_status(job["id"], "failed", "out of memory")
    dm = fake_slack.fake.open_dm(ALICE).id
    bot.wait(lambda f: [m for m in f.messages(dm) if "failed" in m.get("text", "")], timeout=30)
    samples = scrape(bot)
    counted = value(samples, "datajobs_slack_ratelimited_total", method="chat.postMessage")
    assert counted == start + 1
    ids = re.compile(r"dj-|^[UCDGW][A-Z0-9]{6,}$")
    labels = {v for (_name, pairs) in samples for _k, v in pairs}
    assert not [v for v in labels if ids.search(v)], labels
