"""The fake Slack answers slack-sdk's AsyncWebClient the way Slack does."""

from __future__ import annotations

import asyncio
import time

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient


@pytest.fixture
def client(fake_slack):
    return AsyncWebClient(token=fake_slack.fake.bot_token, base_url=fake_slack.api_url, timeout=10)


async def test_post_update_and_history_with_metadata(client, fake_slack):
    meta = {"event_type": "job_notification", "event_payload": {"id": "n-1"}}
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*running*"}}]
    posted = await client.chat_postMessage(
        channel="C0DATAJOBS", text="running", blocks=blocks, metadata=meta
    )
    assert posted["ok"] and posted["channel"] == "C0DATAJOBS" and posted["ts"]
    updated = await client.chat_update(
        channel="C0DATAJOBS", ts=posted["ts"], text="completed", blocks=[{"type": "divider"}]
    )
    assert updated["ts"] == posted["ts"]
    stored = fake_slack.fake.messages("C0DATAJOBS")
    assert len(stored) == 1 and stored[0]["text"] == "completed"
    assert stored[0]["blocks"] == [{"type": "divider"}] and "edited" in stored[0]

    with_meta = await client.conversations_history(channel="C0DATAJOBS", include_all_metadata=True)
    assert with_meta["messages"][0]["metadata"] == meta
    without = await client.conversations_history(channel="C0DATAJOBS")
    assert "metadata" not in without["messages"][0]
    assert [c.method for c in fake_slack.fake.calls()] == [
        "chat.postMessage",
        "chat.update",
        "conversations.history",
        "conversations.history",
    ]


async def test_dm_by_user_id_and_conversations_open(client, fake_slack):
    opened = await client.conversations_open(users="U0BOB")
    dm = opened["channel"]["id"]
    assert dm.startswith("D")
    posted = await client.chat_postMessage(channel="U0BOB", text="hello")
    assert posted["channel"] == dm
    assert [m["text"] for m in fake_slack.fake.messages(dm)] == ["hello"]


async def test_threads_replies_and_history(client, fake_slack):
    parent = await client.chat_postMessage(channel="C0GENERAL", text="parent")
    await client.chat_postMessage(channel="C0GENERAL", text="reply", thread_ts=parent["ts"])
    history = await client.conversations_history(channel="C0GENERAL")
    assert [m["text"] for m in history["messages"]] == ["parent"]
    assert history["messages"][0]["reply_count"] == 1
    replies = await client.conversations_replies(channel="C0GENERAL", ts=parent["ts"])
    assert [m["text"] for m in replies["messages"]] == ["parent", "reply"]


async def test_rate_limit_is_429_with_retry_after(client, fake_slack):
    fake_slack.fake.add_fault("chat.postMessage", status=429, retry_after=1, count=1)
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C0GENERAL", text="x")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"
    assert err.value.response["error"] == "ratelimited"
    assert fake_slack.fake.messages("C0GENERAL") == []


async def test_rate_limit_retry_handler_succeeds_after_retry_after(fake_slack):
    client = AsyncWebClient(
        token=fake_slack.fake.bot_token,
        base_url=fake_slack.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )
    fake_slack.fake.add_fault("chat.postMessage", status=429, retry_after=1, count=1)
    posted = await client.chat_postMessage(channel="C0GENERAL", text="after the wait")
    assert posted["ok"]
    statuses = [c.status for c in fake_slack.fake.calls("chat.postMessage")]
    assert statuses == [429, 200]
    assert [m["text"] for m in fake_slack.fake.messages("C0GENERAL")] == ["after the wait"]


@pytest.mark.parametrize(
    "channel, error",
    [
        ("C0RANDOM", "not_in_channel"),  # public, bot not a member
        ("G0PRIVATE", "channel_not_found"),  # private, bot not a member
        ("C0ARCHIVED", "is_archived"),
        ("C0NOPE", "channel_not_found"),
    ],
)
async def test_posting_where_the_bot_cannot(client, fake_slack, channel, error):
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=channel, text="x")
    assert err.value.response["error"] == error
    assert fake_slack.fake.messages(channel) == []


async def test_deactivated_user(client, fake_slack):
    dm = (await client.conversations_open(users="U0CAROL"))["channel"]["id"]
    fake_slack.fake.deactivate("U0CAROL")
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=dm, text="x")
    assert err.value.response["error"] == "account_inactive"
    with pytest.raises(SlackApiError) as err:
        await client.conversations_open(users="U0CAROL")
    assert err.value.response["error"] == "user_not_found"


async def test_token_is_required(fake_slack):
    bad = AsyncWebClient(token="xoxb-wrong", base_url=fake_slack.api_url)
    with pytest.raises(SlackApiError) as err:
        await bad.chat_postMessage(channel="C0GENERAL", text="x")
    assert err.value.response["error"] == "invalid_auth"
    anonymous = AsyncWebClient(base_url=fake_slack.api_url)
    with pytest.raises(SlackApiError) as err:
        await anonymous.auth_test()
    assert err.value.response["error"] == "not_authed"
    assert fake_slack.fake.messages("C0GENERAL") == []


async def test_injected_error_for_a_count_then_normal(client, fake_slack):
    fake_slack.fake.add_fault(
        "chat.postMessage", error="channel_not_found", count=1, channel="C0GENERAL"
    )
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C0GENERAL", text="first")
    await client.chat_postMessage(channel="C0GENERAL", text="second")
    await client.chat_postMessage(channel="C0DATAJOBS", text="other channel")
    assert [m["text"] for m in fake_slack.fake.messages("C0GENERAL")] == ["second"]


async def test_delay_longer_than_timeout_still_posts(fake_slack):
    client = AsyncWebClient(token=fake_slack.fake.bot_token, base_url=fake_slack.api_url, timeout=1)
    fake_slack.fake.add_fault("chat.postMessage", delay=3, count=1)
    with pytest.raises(asyncio.TimeoutError):
        await client.chat_postMessage(channel="C0GENERAL", text="unknown outcome")
    assert [m["text"] for m in fake_slack.fake.messages("C0GENERAL")] == ["unknown outcome"]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_too_many_blocks_is_invalid_blocks(client, fake_slack):
    blocks = [{"type": "divider"}] * 51
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C0GENERAL", text="x", blocks=blocks)
    assert err.value.response["error"] == "invalid_blocks"
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C0GENERAL")
    assert err.value.response["error"] == "no_text"


async def test_response_url_ephemeral_replace_and_use_limit(client, fake_slack):
    fake = fake_slack.fake
    posted = await client.chat_postMessage(channel="C0DATAJOBS", text="card v1")
    url = fake.new_response_url("C0DATAJOBS", "U0ALICE", message_ts=posted["ts"])
    hook = AsyncWebhookClient(url)
    assert (await hook.send(text="card v2", replace_original=True)).status_code == 200
    assert [m["text"] for m in fake.messages("C0DATAJOBS")] == ["card v2"]
    assert (await hook.send(text="only you", response_type="ephemeral")).status_code == 200
    assert [m["text"] for m in fake.ephemerals("C0DATAJOBS", "U0ALICE")] == ["only you"]
    for _ in range(3):
        await hook.send(text="again", replace_original=True)
    sixth = await hook.send(text="too many")
    assert sixth.status_code == 404
    assert [p.get("error") for p in fake.response_url_posts(url)][-1] == "used_url"


async def test_views_open_update_hash_and_push(client, fake_slack):
    fake = fake_slack.fake
    trigger = fake.new_trigger_id("U0ALICE")
    view = {
        "type": "modal",
        "callback_id": "rename",
        "title": {"type": "plain_text", "text": "Rename"},
        "submit": {"type": "plain_text", "text": "Save"},
        "private_metadata": '{"id":1}',
        "blocks": [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }
    opened = (await client.views_open(trigger_id=trigger, view=view))["view"]
    assert opened["id"] and opened["hash"] and opened["callback_id"] == "rename"
    assert [v["id"] for v in fake.open_views("U0ALICE")] == [opened["id"]]
    with pytest.raises(SlackApiError) as err:
        await client.views_update(view_id=opened["id"], hash="stale", view=view)
    assert err.value.response["error"] == "hash_conflict"
    updated = (await client.views_update(view_id=opened["id"], hash=opened["hash"], view=view))[
        "view"
    ]
    assert updated["hash"] != opened["hash"]
    pushed = (await client.views_push(trigger_id=fake.new_trigger_id("U0ALICE"), view=view))["view"]
    assert pushed["previous_view_id"] == opened["id"]
    with pytest.raises(SlackApiError) as err:
        await client.views_open(trigger_id="made-up", view=view)
    assert err.value.response["error"] == "invalid_trigger_id"


async def test_calls_are_readable_from_another_thread(client, fake_slack):
    async def post(i):
        await client.chat_postMessage(channel="C0GENERAL", text=f"m{i}")

    await asyncio.gather(*(post(i) for i in range(20)))
    texts = await asyncio.to_thread(
        lambda: [m["text"] for m in fake_slack.fake.messages("C0GENERAL")]
    )
    assert sorted(texts) == sorted(f"m{i}" for i in range(20))
    ts = [m["ts"] for m in fake_slack.fake.messages("C0GENERAL")]
    assert len(set(ts)) == 20 and ts == sorted(ts, key=float)
    assert time.time() - float(ts[-1]) < 60
