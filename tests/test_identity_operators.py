"""OPERATORS: Slack user ids and user groups (usergroups.users.list), cached briefly."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.services.operators import Operators


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def slack_client(fake_slack) -> AsyncWebClient:
    return AsyncWebClient(token=fake_slack.fake.bot_token, base_url=fake_slack.api_url)


async def test_user_ids_and_group_members_are_operators(fake_slack):
    ops = Operators(["U0CAROL", "S0DATATEAM"], slack_client(fake_slack))
    assert await ops.is_operator("U0CAROL")  # listed by id
    assert await ops.is_operator("U0ALICE")  # member of the group
    assert not await ops.is_operator("U0NOBODY")


async def test_group_members_are_cached_briefly(fake_slack):
    clock = Clock()
    ops = Operators(["S0DATATEAM"], slack_client(fake_slack), ttl=60, clock=clock)
    assert not await ops.is_operator("U0CAROL")
    fake_slack.fake.usergroups["S0DATATEAM"] = ["U0ALICE", "U0BOB", "U0CAROL"]
    for user in ("U0ALICE", "U0BOB", "U0CAROL"):
        await ops.is_operator(user)
    assert len(fake_slack.fake.calls("usergroups.users.list")) == 1  # one read for many checks
    assert not await ops.is_operator("U0CAROL")  # still the cached membership
    clock.now += 61
    assert await ops.is_operator("U0CAROL")  # the group change is seen after the TTL
    assert len(fake_slack.fake.calls("usergroups.users.list")) == 2


async def test_unreadable_group_makes_nobody_operator_and_is_retried_soon(fake_slack):
    clock = Clock()
    fake_slack.fake.add_fault("usergroups.users.list", error="missing_scope", count=1)
    ops = Operators(["S0DATATEAM"], slack_client(fake_slack), ttl=60, clock=clock)
    assert not await ops.is_operator("U0ALICE")
    clock.now += 6
    assert await ops.is_operator("U0ALICE")


async def test_no_operators_configured():
    ops = Operators([], None)
    assert not ops.configured and not await ops.is_operator("U0ALICE")
