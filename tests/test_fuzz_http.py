"""The public endpoint under hostile and broken input: over 10,000 requests, signed and not.

A running bot (real HTTP on loopback, its SeekrFlow the simulator, its Slack the fake) gets
unsigned and badly signed garbage, signed bodies that do not parse, signed slash commands
with hostile text, and signed button clicks and modal submissions with tampered values and
odd shapes, from four keep-alive connections at once. Then: no response is a 5xx, no
connection was dropped, the bot's log holds no traceback, every signed slash command was
answered with something a person can read, no SeekrFlow request went to an odd path, and
the bot is healthy. Bounded: a fixed number of requests, and a deadline.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
import pytest

from bot.commands import SUBCOMMANDS
from bot.ids import Action, View
from bot.payloads import JobRef, ListState, RenameMeta, RowAction, SubRef, encode
from bot.values import Dest
from sandbox.playground.requests import FORM, block_actions_payload, slash_command_body
from sandbox.playground.signing import sign

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

COUNTS = {
    "unsigned": 3000,
    "badly_signed": 1000,
    "signed_garbage": 1500,
    "command": 2500,
    "interaction": 2200,
}
DEADLINE_S = 300
PLACEHOLDERS = {s.ack for s in SUBCOMMANDS if s.ack}
SAFE_PATH = re.compile(
    r"^/v1/flow/data-jobs(/[A-Za-z0-9._:~-]{1,128}(/(cancel|start|clone|remove-files))?)?$"
)

HOSTILE = [
    "<!channel>",
    "<!here|here>",
    "<https://evil.example|click me>",
    "@everyone",
    "../../etc/passwd",
    "..%2f..%2f",
    "%00",
    "\x00\x01\x1b[31m",
    "²",
    "١٢٣",
    "ＤＪ－１",
    "dj-1/../../v2",
    "dj-1?x=1",
    "dj-1#frag",
    "😀" * 50,
    "\u202e\u2066",
    "'; DROP TABLE jobs; --",
    "{{7*7}}",
    "${jndi:x}",
    "a" * 4000,
    "\n\n\n",
    "&lt;&gt;&amp;",
    "limit:²",
    "limit:99999999999999999999",
    "type:",
    "events:",
    "events:,,,",
    "#",
    "<#C0DATAJOBS|>",
    "<#X>",
    "here here",
    "sk-live-abcdef0123456789",
]
GARBAGE = [
    b"",
    b"payload=%7Bnotjson",
    b"payload=",
    b"\xff\xfe\xfa",
    b"[1,2",
    b"{" * 5000 + b"}" * 5000,
    b'{"type": "block_actions"}',
    b"payload=" + b"%5B" * 3000,
    b"payload=null",
    b"command=",
    b'{"a":' * 2000 + b"1" + b"}" * 2000,
    b"text=%ff%fe",
    b"payload=%7B%22type%22%3A1%7D",
    b"payload=" + urlencode({"x": "y"}).encode(),
    b"\x00" * 100,
    b'"just a string"',
    b"42",
]


def hostile_text(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.4:
        return rng.choice(HOSTILE)
    if pick < 0.7:
        codes = (rng.randrange(1, 0x2FFFF) for _ in range(rng.randrange(1, 80)))
        return "".join(chr(c) for c in codes if not 0xD800 <= c <= 0xDFFF)  # no lone surrogates
    return rng.choice(HOSTILE) + " " + rng.choice(HOSTILE)


def command_text(rng: random.Random, job_ids: list[str]) -> str:
    verb = rng.choice(
        [
            "",
            "help",
            "list",
            "inspect",
            "rename",
            "cancel",
            "subscribe",
            "unsubscribe",
            "subscriptions",
            "whoami",
            "logout",
            "ls",
            "show",
            hostile_text(rng),
        ]
    )
    arg = rng.choice([*job_ids, hostile_text(rng), hostile_text(rng), ""])
    rest = rng.choice(["", hostile_text(rng), "here", "limit:5", "events:failed", "x" * 300])
    return " ".join(p for p in (verb, arg, rest) if p)


def odd(rng: random.Random, good):
    """``good``, or a value of the wrong shape (a list, a number, a dict, null, huge text)."""
    return rng.choice([good, good, [good], 7, {"id": good}, None, "x" * 5000, ""])


def interaction_payload(rng: random.Random, fake, job_ids: list[str]) -> dict:
    user = rng.choice(["U0ALICE", "U0BOB", "U0CAROL"])
    job = rng.choice([*job_ids, "dj-ghost"])
    values = [
        encode(JobRef(job_id=job, name=hostile_text(rng)[:200])),
        encode(RowAction(op=rng.choice(["inspect", "cancel"]), job_id=job)),
        encode(ListState(limit=rng.randrange(1, 101))),
        encode(SubRef(dest=Dest.channel("C0DATAJOBS"), job_id=job)),
        hostile_text(rng),
        json.dumps({"j": "../../x"}),
        json.dumps({"a": "delete", "j": job}),
        "",
    ]
    if rng.random() < 0.3:  # a modal submission: rename or login, metadata and state tampered
        callback = rng.choice([View.RENAME, View.LOGIN, "unknown_view"])
        meta = rng.choice(
            [
                encode(RenameMeta(job_id=job, channel_id="C0DATAJOBS")),
                hostile_text(rng),
                '{"c":"../x"}',
                "",
            ]
        )
        state = rng.choice(
            [
                {"values": {"rename_name": {"rename_input": {"value": hostile_text(rng)}}}},
                {"values": {"login_key": {"login_key_input": {"value": hostile_text(rng)}}}},
                {"values": []},
                {"values": {"x": "y"}},
                "state",
                None,
            ]
        )
        view = {
            "id": f"V{rng.randrange(10**6)}",
            "callback_id": callback,
            "private_metadata": meta,
            "state": state,
            "hash": "1.x",
        }
        return {
            "type": "view_submission",
            "user": odd(rng, {"id": user}),
            "view": odd(rng, view),
            "trigger_id": odd(rng, fake.new_trigger_id(user)),
        }
    action_id = rng.choice([*list(Action), "no_such_action"])
    payload = block_actions_payload(
        action_id,
        rng.choice(values),
        user_id=user,
        channel_id="C0DATAJOBS",
        response_url=fake.new_response_url("C0DATAJOBS", user),
        trigger_id=fake.new_trigger_id(user),
    )
    for field in rng.sample(["trigger_id", "user", "channel", "container", "actions"], k=2):
        if rng.random() < 0.3:
            payload[field] = odd(rng, payload.get(field))
    return payload


class LogWatch(logging.Handler):
    """Every log record of the process (the bot runs in it), tracebacks counted."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.tracebacks: list[str] = []
        self.lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.stack_info or "Traceback" in record.getMessage():
            with self.lock:
                self.tracebacks.append(f"{record.name}: {record.getMessage()[:200]}")


def test_ten_thousand_hostile_requests_cost_nobody_a_reply(make_bot, simulator, fake_slack):
    bot = make_bot()
    fake, secret, url = fake_slack.fake, bot.driver.secret, bot.driver.events_url
    rng = random.Random(20261202)
    job_ids = [
        j["id"]
        for j in httpx.get(
            simulator.url + "/v1/flow/data-jobs?limit=20", headers=simulator.headers()
        ).json()["data"]
    ]

    requests: list[tuple[str, bytes, dict, dict]] = []  # kind, body, headers, facts
    for _ in range(COUNTS["unsigned"]):
        body = rng.choice(
            [
                *GARBAGE,
                slash_command_body(
                    "list",
                    user_id="U0ALICE",
                    channel_id="C1",
                    response_url="https://x",
                    trigger_id="1",
                ),
            ]
        )
        headers = rng.choice(
            [
                {},
                {"X-Slack-Request-Timestamp": rng.choice(["", "x", "-1", "1e9", "9" * 30])},
                {"X-Slack-Signature": "v0=" + "0" * 64},
            ]
        )
        requests.append(("unsigned", body, {"Content-Type": FORM, **headers}, {}))
    for _ in range(COUNTS["badly_signed"]):
        body = slash_command_body(
            "cancel " + rng.choice(job_ids),
            user_id="U0ALICE",
            channel_id="C0DATAJOBS",
            response_url="https://x",
            trigger_id="1",
        )
        stale = rng.random() < 0.5
        signed = sign(secret if stale else "wrong", body, int(time.time()) - 400 if stale else None)
        requests.append(("badly_signed", body, {"Content-Type": FORM, **signed}, {}))
    for _ in range(COUNTS["signed_garbage"]):
        body = rng.choice(GARBAGE)
        kind = rng.choice([FORM, "application/json", "text/plain"])
        requests.append(("signed_garbage", body, {"Content-Type": kind}, {}))
    for _ in range(COUNTS["command"]):
        user = rng.choice(["U0ALICE", "U0CAROL"])
        response_url, trigger_id = (
            fake.new_response_url("C0DATAJOBS", user),
            fake.new_trigger_id(user),
        )
        fields = dict(
            user_id=user, channel_id="C0DATAJOBS", response_url=response_url, trigger_id=trigger_id
        )
        body = slash_command_body(command_text(rng, job_ids), **fields)
        facts = {"response_url": response_url, "trigger_id": trigger_id}
        if rng.random() < 0.05:  # a field Slack always sends, missing or of an odd shape
            body = (
                body.replace(b"user_id=", b"user=", 1)
                if rng.random() < 0.5
                else body
                + (b"&trigger_id=" + urlencode({"x": str(odd(rng, trigger_id))}).encode()[2:])
            )
        requests.append(("command", body, {"Content-Type": FORM}, facts))
    for _ in range(COUNTS["interaction"]):
        body = urlencode({"payload": json.dumps(interaction_payload(rng, fake, job_ids))}).encode()
        requests.append(("interaction", body, {"Content-Type": FORM}, {}))
    rng.shuffle(requests)

    watch = LogWatch()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn")]
    for lg in loggers:
        lg.addHandler(watch)
    results: list[tuple[str, int, bytes, dict]] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + DEADLINE_S

    def send(chunk):
        with httpx.Client(timeout=30) as http:  # one keep-alive connection per sender
            for kind, body, headers, facts in chunk:
                if time.monotonic() > deadline:
                    return
                if kind not in ("unsigned", "badly_signed"):
                    headers = {**headers, **sign(secret, body)}
                try:
                    r = http.post(url, content=body, headers=headers)
                except httpx.HTTPError as exc:  # a dropped connection costs someone a reply
                    with lock:
                        failures.append(f"{kind}: {type(exc).__name__}")
                    continue
                with lock:
                    results.append((kind, r.status_code, r.content, facts))

    started = time.monotonic()
    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(send, [requests[i::4] for i in range(4)]))
        sent_s = time.monotonic() - started

        # every signed, well-formed slash command gets a readable answer: in its ack, at its
        # response_url, or as a modal opened with its trigger
        def unanswered(f) -> list[dict]:
            opened = {c.args.get("trigger_id") for c in f.calls("views.open")}
            left = []
            for kind, status, content, facts in results:
                if kind != "command" or status != 200:
                    continue
                text = (json.loads(content) if content.strip() else {}).get("text")
                if text and text not in PLACEHOLDERS:
                    continue
                if f.response_url_posts(facts["response_url"]) or facts["trigger_id"] in opened:
                    continue
                left.append(facts)
            return left

        try:
            fake.wait_for(lambda f: not unanswered(f), timeout=120, interval=1.0)
        except TimeoutError:
            pass
        missing = unanswered(fake)
        healthy = httpx.get(bot.url + "/healthz", timeout=10)
    finally:
        for lg in loggers:
            lg.removeHandler(watch)

    statuses = Counter((kind, status) for kind, status, _, _ in results)
    print(
        f"\n{len(results)} requests in {sent_s:.1f} s; statuses: {dict(sorted(statuses.items()))}"
    )
    assert len(results) + len(failures) == len(requests), "the deadline cut the run short"
    assert failures == []
    assert [k for k, status, _, _ in results if status >= 500] == []
    assert {s for (k, s) in statuses if k in ("unsigned", "badly_signed")} == {401}
    assert {s for (k, s) in statuses if k == "signed_garbage"} <= {200, 400}  # 200: a sentence
    commands_refused = [c for c in results if c[0] == "command" and c[1] != 200]
    assert commands_refused == []  # a command of an odd shape still gets a sentence (200)
    assert missing == [], f"{len(missing)} slash commands got no answer"
    assert watch.tracebacks == [], watch.tracebacks[:5]
    odd_paths = {r["path"] for r in simulator.control.requests() if not SAFE_PATH.match(r["path"])}
    assert odd_paths == set()
    assert healthy.status_code == 200 and healthy.json()["ok"] is True
    refused = healthy.json()["refused"]
    assert refused.get("unsigned or stale", 0) >= COUNTS["unsigned"] + COUNTS["badly_signed"]
