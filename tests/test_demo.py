"""The demo stack in this process: embedded Redis, simulator, bot and playground."""

from __future__ import annotations

import re
import socket
import time

import httpx
import pytest

from bot.settings import load_settings
from sandbox.demo import run_demo, start_demo
from sandbox.harness.ports import port_for_later
from sandbox.server_thread import port_is_free
from sandbox.simulator.control import SimulatorControl

pytestmark = pytest.mark.slow  # the whole demo in this process


def replies(url: str, text: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for msg in httpx.get(url + "_fake/state", timeout=10).json()["ephemerals"]:
            if text in (msg.get("text") or ""):
                return msg
        time.sleep(0.2)
    raise AssertionError(f"no reply containing {text!r}")


@pytest.fixture
def demo():
    running = start_demo(load_settings(), port=port_for_later(), seed=7, redis_url=None)
    yield running
    running.stop()


def test_embedded_redis_demo_answers_commands_and_keeps_subscriptions(demo):
    assert demo.embedded_redis
    health = httpx.get(demo.bot_url + "/healthz", timeout=10)
    assert health.status_code == 200 and health.json()["redis"] == "up"
    assert httpx.get(demo.bot_url + "/", follow_redirects=True, timeout=10).url == demo.url
    hints = httpx.get(demo.url + "_fake/state", timeout=10).json()["hints"]
    assert any("carol may read" in h for h in hints)
    assert any("sim-key-other" in h for h in hints)

    sent = httpx.post(
        demo.url + "_ui/command",
        timeout=30,
        json={"user": "U0ALICE", "channel": "C0DATAJOBS", "text": "list"},
    )
    assert sent.json() == {"ok": True}
    listing = replies(demo.url, "data job(s)")
    job_id = re.search(r"dj-[0-9a-f-]{36}", str(listing["blocks"])).group(0)

    httpx.post(
        demo.url + "_ui/command",
        timeout=30,
        json={"user": "U0ALICE", "channel": "C0DATAJOBS", "text": f"subscribe {job_id}"},
    )
    replies(demo.url, "ubscribed")
    httpx.post(
        demo.url + "_ui/command",
        timeout=30,
        json={"user": "U0ALICE", "channel": "C0DATAJOBS", "text": "subscriptions mine"},
    )
    listed = replies(demo.url, "Your subscriptions (by DM): 1")  # read back from Redis
    assert listed["user"] == "U0ALICE"
    assert job_id in str(listed["blocks"])

    # the watcher sees the job finish and the DM arrives, all through the embedded Redis
    with SimulatorControl(demo.simulator_url) as control:
        control.set_status(job_id, "failed", status_message="disk full")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        dm = httpx.get(demo.url + "_fake/state", timeout=10).json()["messages"].get("D0ALICE", [])
        if any(job_id in str(m.get("blocks")) for m in dm):
            break
        time.sleep(0.3)
    else:
        raise AssertionError("no notification in alice's DM")
    assert "failed" in str(dm[-1])


def test_the_signing_secret_never_reaches_the_page(demo):
    secret = demo.settings.slack_signing_secret.get_secret_value()
    page = httpx.get(demo.url, timeout=10).text
    scripts = "".join(
        httpx.get(demo.url + f"static/{name}", timeout=10).text
        for name in ("app.js", "modal.js", "blocks.js", "messages.js", "mrkdwn.js")
    )
    state = httpx.get(demo.url + "_fake/state", timeout=10).text
    for seen in (page, scripts, state):
        assert secret not in seen
    # and a request signed with anything else is refused by the bot
    forged = httpx.post(
        demo.bot_url + "/slack/events",
        content=b"command=%2Fdatajobs&text=list",
        headers={
            "X-Slack-Signature": "v0=00",
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        timeout=10,
    )
    assert forged.status_code == 401


def test_stop_frees_every_port():
    port = port_for_later()
    running = start_demo(load_settings(), port=port, seed=7, redis_url=None)
    redis_port = int(running.settings.redis_url.rsplit(":", 1)[1].split("/")[0])
    sim_port = int(running.simulator_url.rsplit(":", 1)[1])
    running.stop()
    for p in (port, redis_port, sim_port):
        assert port_is_free(p), p


def test_a_busy_port_is_one_clear_line(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert run_demo(load_settings(), port=port) == 2
    out = capsys.readouterr().out
    assert out.strip() == (
        f"port {port} is already in use on 127.0.0.1: run `python -m sandbox demo --port N`"
    )


def test_with_slack_tokens_the_demo_uses_socket_mode_and_no_playground(fake_slack):
    from tests.test_bot_socket_mode import APP_TOKEN, SocketSlack

    socket = SocketSlack().start()
    settings = load_settings(
        slack_app_token=APP_TOKEN,
        slack_bot_token=fake_slack.fake.bot_token,
        slack_api_url=socket.api_url,
    )
    running = start_demo(settings, port=port_for_later(), redis_url=None, socket_mode=True)
    try:
        assert running.fake is None and running.url.endswith("/healthz")
        assert httpx.get(running.bot_url + "/playground/", timeout=10).status_code == 404
        deadline = time.monotonic() + 20
        while not socket.sockets and time.monotonic() < deadline:
            time.sleep(0.05)
        assert socket.app_tokens == [f"Bearer {APP_TOKEN}"]
        response_url = fake_slack.fake.new_response_url("C0DATAJOBS")
        socket.deliver(
            {
                "envelope_id": "env-demo",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": "T0DEMO",
                    "channel_id": "C0DATAJOBS",
                    "user_id": "U0ALICE",
                    "user_name": "alice",
                    "command": "/datajobs",
                    "text": "list limit:3",
                    "api_app_id": "A0DATAJOBS",
                    "response_url": response_url,
                    "trigger_id": "1.demo",
                },
            }
        )
        posts = fake_slack.fake.wait_for(
            lambda f: [p for p in f.response_url_posts(response_url) if "showing" in str(p)], 30
        )
        shown = str(posts[-1]["body"])
        assert "showing 1–3" in shown and "dj-" in shown  # the demo's simulated SeekrFlow
    finally:
        running.stop()
        socket.stop()


def test_stopping_answers_a_waiting_page_instead_of_cutting_it_off():
    import threading

    running = start_demo(load_settings(), port=port_for_later(), seed=7, redis_url=None)
    version = httpx.get(running.url + "_fake/state", timeout=10).json()["version"]
    answers: list = []

    def long_poll():
        try:
            answers.append(
                httpx.get(
                    running.url + "_fake/state",
                    params={"since": version + 1000, "wait": 25},
                    timeout=40,
                )
            )
        except httpx.HTTPError as exc:
            answers.append(exc)

    waiter = threading.Thread(target=long_poll)
    waiter.start()
    deadline = time.monotonic() + 30  # the request has reached the server and waits there
    while running.fake.long_polls < 1 and waiter.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert running.fake.long_polls == 1, answers
    running.stop()
    waiter.join(timeout=40)
    (answer,) = answers
    assert isinstance(answer, httpx.Response) and answer.status_code == 200, answer
    assert answer.json()["version"] >= version
