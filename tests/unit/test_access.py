"""bot.services.access.Access.authorize as a table: who acts (linked key, operator on the team
key, member on the team key, nobody) × what they change × where (their DM, someone else's DM,
a channel, no place). Each refusal has its one sentence and one audit entry; a yes writes none.

Redis is a real redis-server (the ``redis_url`` fixture); no SeekrFlow call is made here: the
rule is decided before any."""

from __future__ import annotations

import httpx
import pytest
import redis.asyncio as aioredis
from pydantic import SecretStr

from bot.services.access import NO_KEY, Access, NotAllowed, refusal
from bot.services.operators import Operators
from bot.store import Audit, Cipher, KeyState, KeyStore, Outcome, generate_key
from bot.store.linked_keys import LinkedKey
from bot.values import Actor, Change, Dest, Mode

LINKED, OPERATOR, MEMBER = "U0LINKED", "U0OP", "U0MEMBER"
CHANNEL = Dest.channel("C0DATAJOBS")
YES = None


def dm(user: str) -> Dest:
    return Dest.dm(user)


# (who, change, where, refusal or YES)
TABLE = [
    (LINKED, Change.CANCEL, None, YES),
    (OPERATOR, Change.CANCEL, None, YES),
    (MEMBER, Change.CANCEL, None, refusal(Change.CANCEL)),
    (MEMBER, Change.RETRY, None, refusal(Change.RETRY)),
    (MEMBER, Change.SUBSCRIBE, dm(MEMBER), YES),  # their own DM: reading is enough
    (MEMBER, Change.SUBSCRIBE, dm(OPERATOR), Change.SUBSCRIBE.someone_elses),
    (OPERATOR, Change.SUBSCRIBE, dm(MEMBER), Change.SUBSCRIBE.someone_elses),  # nobody may
    (MEMBER, Change.SUBSCRIBE, CHANNEL, refusal(Change.SUBSCRIBE_CHANNEL)),
    (OPERATOR, Change.SUBSCRIBE, CHANNEL, YES),
    (LINKED, Change.SUBSCRIBE, CHANNEL, YES),
    (MEMBER, Change.UNSUBSCRIBE, dm(MEMBER), YES),
    (MEMBER, Change.UNSUBSCRIBE, CHANNEL, refusal(Change.UNSUBSCRIBE_CHANNEL)),
    (MEMBER, Change.SNOOZE, dm(MEMBER), YES),
    (MEMBER, Change.SNOOZE, CHANNEL, refusal(Change.SNOOZE_CHANNEL)),
    (LINKED, Change.SNOOZE, dm(MEMBER), Change.SNOOZE.someone_elses),
    (MEMBER, Change.SUMMARY, dm(MEMBER), YES),
    (MEMBER, Change.SUMMARY, CHANNEL, refusal(Change.SUMMARY_CHANNEL)),
    (MEMBER, Change.VIEW_SUBSCRIPTIONS, CHANNEL, YES),
]


@pytest.fixture
async def access(redis_url):
    redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
    async with httpx.AsyncClient() as http:
        keystore = KeyStore(redis, Cipher(generate_key()))
        await keystore.save(LINKED, LinkedKey(api_key=SecretStr("sk-linked-key-0123456789")))
        yield Access(
            keystore=keystore,
            key_state=KeyState(redis),
            operators=Operators([OPERATOR], None),
            audit=Audit(redis),
            http=http,
            base_url="http://127.0.0.1:9",  # never called: authorize decides before any call
            team_key=SecretStr("sk-team-key-0123456789"),
            team_id="team-1",
        )
    await redis.aclose()


@pytest.mark.parametrize(("who", "change", "where", "refused"), TABLE)
async def test_authorize(access, who, change, where, refused):
    actor = Actor(who, "C0DATAJOBS")
    if refused is YES:
        identity = await access.authorize(actor, change, dest=where, job="dj-1")
        assert identity.user_id == who
        assert identity.mode is (Mode.PERSONAL if who == LINKED else Mode.TEAM)
        assert await access.audit.recent() == []
        return
    with pytest.raises(NotAllowed) as err:
        await access.authorize(actor, change, dest=where, job="dj-1")
    assert err.value.message == refused
    [entry] = await access.audit.recent()
    expected = change.in_channel if where is not None and where.is_channel else change
    assert (entry.action, entry.actor, entry.outcome) == (
        expected.audited_as,
        who,
        Outcome.REFUSED,
    )
    assert entry.job_id == "dj-1"
    assert entry.channel == "C0DATAJOBS"


async def test_with_no_team_key_a_person_without_a_linked_key_is_told_to_log_in(redis_url):
    redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
    async with httpx.AsyncClient() as http:
        access = Access(
            keystore=KeyStore(redis, Cipher(generate_key())),
            key_state=KeyState(redis),
            operators=Operators([OPERATOR], None),
            audit=Audit(redis),
            http=http,
            base_url="http://127.0.0.1:9",
            team_key=None,
            team_id=None,
        )
        for change in (Change.CANCEL, Change.SUBSCRIBE):
            with pytest.raises(NotAllowed) as err:
                await access.authorize(Actor(OPERATOR, "D0OP"), change, dest=None)
            assert err.value.message == NO_KEY
        # stopping or quieting one's own DM needs no key at all
        await access.authorize(Actor(MEMBER, "D0M"), Change.UNSUBSCRIBE, dest=dm(MEMBER))
        entries = await access.audit.recent()
        assert [(e.action, e.detail) for e in entries] == [
            ("subscribe", "no key"),
            ("cancel", "no key"),
        ]
    await redis.aclose()
