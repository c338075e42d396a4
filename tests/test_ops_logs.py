"""LOG_FORMAT=json: every line of a real bot process is one JSON object with its context, and
no key, token or secret is in any line, in either format."""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import signal

import pytest

from bot import logs
from bot.store import generate_key
from sandbox.harness.replicas import Replica, log_dir, replica_env
from tests.support.fixtures_bot import BotHandle, all_text
from tests.support.fixtures_slack import SlackDriver
from tests.support.identity_helpers import login, new_key

CAROL = "U0CAROL"


@pytest.mark.slow
def test_every_json_line_parses_carries_context_and_holds_no_secret(
    redis_url, simulator, fake_slack
):
    encryption = generate_key()
    env = replica_env(
        redis_url,
        simulator,
        fake_slack,
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",  # the most a process ever writes
        BOT_ENCRYPTION_KEY=encryption,
        POLL_INTERVAL="0.3",
    )
    folder = log_dir()
    rep = Replica("json", env, folder).start()
    driver = None
    try:
        rep.wait_healthy()
        url = f"http://127.0.0.1:{rep.port}"
        driver = SlackDriver(url, fake_slack, env["SLACK_SIGNING_SECRET"])
        bot = BotHandle(url, driver, None, None, simulator, fake_slack)  # type: ignore[arg-type]
        personal = new_key(simulator, "user-carol", jobs=1)
        login(bot, CAROL, personal)
        job = simulator.control.create_job("logged job", status="running", api_key=personal)
        assert "logged job" in all_text(bot.ask("list", user=CAROL))
        bot.ask(f"subscribe {job['id']}", user=CAROL)
        simulator.control.set_status(job["id"], "completed")
        dm = fake_slack.fake.open_dm(CAROL).id
        bot.wait(lambda f: [m for m in f.messages(dm) if "completed" in m.get("text", "")])
        simulator.control.add_fault(418, count=1)  # an answer the bot cannot read
        odd = all_text(bot.ask(f"inspect {job['id']}", user=CAROL))
        (reference,) = set(re.findall(r"reference `([0-9a-f]{8})`", odd))
        driver.post(b"command=%2Fdatajobs&text=list", secret="not-the-secret")
        rep.proc.send_signal(signal.SIGTERM)
        rep.proc.wait(timeout=20)
        text = rep.log.read_text()
    finally:
        if driver is not None:
            driver.close()
        rep.kill()

    lines = [line for line in text.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert len(records) > 20
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys(), record
    secrets = [
        personal,
        simulator.api_key,
        encryption,
        env["SLACK_BOT_TOKEN"],
        env["SLACK_SIGNING_SECRET"],
    ]
    for secret in secrets:
        assert secret not in text
    # the reference the person was shown finds the line about it, with who and which job
    (about,) = [r for r in records if r.get("request") == reference and r["level"] == "WARNING"]
    assert reference in about["message"]
    assert about["slack_user"] == CAROL and about["job_id"] == job["id"]
    assert any(r.get("channel") for r in records)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_secret_logged_by_mistake_is_redacted_in_either_format(fmt):
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(logs.Context())
    handler.addFilter(logs.Redact())
    handler.setFormatter(logs.json_formatter() if fmt == "json" else logs.text_formatter())
    log = logging.getLogger(f"tests.redaction.{fmt}")
    log.addHandler(handler)
    log.propagate = False
    logs.forget_in_logs("sk-linked-personal-0042")
    token = "xoxb-1234-5678-abcdefABCDEF"
    try:
        with logs.bound(request="abcd0123", slack_user=CAROL):
            log.warning("calling with %s and %s", token, "sk-linked-personal-0042")
            try:
                raise ValueError(f"boom {token}")
            except ValueError:
                log.exception("failed")
    finally:
        log.removeHandler(handler)
    written = out.getvalue()
    assert token not in written and "sk-linked-personal-0042" not in written
    assert written.count(logs.MASK) >= 3
    if fmt == "json":
        first, second = (json.loads(line) for line in written.splitlines() if line.startswith("{"))
        assert first["request"] == "abcd0123" and first["slack_user"] == CAROL
        assert "ValueError" in second["exc_info"]
    else:
        assert "request=abcd0123" in written
