"""bot.values: who may do what (Identity.may), where notifications go (Actor.place), and the
channel variant of a change."""

from __future__ import annotations

import pytest

from bot.values import Actor, Change, Dest, Identity, Mode

PERSONAL = Identity("U1", Mode.PERSONAL)
OPERATOR = Identity("U1", Mode.TEAM, operator=True)
MEMBER = Identity("U1", Mode.TEAM)
NOBODY = Identity("U1", Mode.NONE)


@pytest.mark.parametrize(
    ("identity", "change", "allowed"),
    [
        (PERSONAL, Change.CANCEL, True),
        (OPERATOR, Change.CANCEL, True),
        (MEMBER, Change.CANCEL, False),
        (NOBODY, Change.CANCEL, False),
        (MEMBER, Change.SUBSCRIBE, True),  # a DM is the person's own: reading is enough
        (NOBODY, Change.SUBSCRIBE, False),  # ... but something must read for them
        (MEMBER, Change.SUBSCRIBE_CHANNEL, False),
        (OPERATOR, Change.SUBSCRIBE_CHANNEL, True),
        (NOBODY, Change.UNSUBSCRIBE, True),  # stopping your own DM needs no key
        (NOBODY, Change.SNOOZE, True),
        (NOBODY, Change.VIEW_SUBSCRIPTIONS, True),
        (NOBODY, Change.SUMMARY, False),
        (MEMBER, Change.RETRY, False),
        (PERSONAL, Change.CLAIM, True),
    ],
)
def test_identity_may(identity: Identity, change: Change, allowed: bool) -> None:
    assert identity.may(change) is allowed


def test_a_change_to_a_channel_has_its_channel_variant_and_others_keep_theirs() -> None:
    assert Change.SUBSCRIBE.in_channel is Change.SUBSCRIBE_CHANNEL
    assert Change.UNSUBSCRIBE.in_channel is Change.UNSUBSCRIBE_CHANNEL
    assert Change.SNOOZE.in_channel is Change.SNOOZE_CHANNEL
    assert Change.SUMMARY.in_channel is Change.SUMMARY_CHANNEL
    assert Change.CANCEL.in_channel is Change.CANCEL
    assert all(c.in_channel.changes_jobs for c in Change if c.in_channel is not c)


@pytest.mark.parametrize(
    ("channel", "where", "named", "expected"),
    [
        ("C1", "dm", None, Dest.dm("U1")),
        ("C1", "here", None, Dest.channel("C1")),
        ("G1", "here", None, Dest.channel("G1")),
        ("D1", "here", None, Dest.dm("U1")),  # "here" in the bot's DM is the person's DM
        (None, "here", None, Dest.dm("U1")),
        ("D1", "channel", "C9", Dest.channel("C9")),
        ("C1", "channel", None, Dest.dm("U1")),  # no channel named: never a guess
    ],
)
def test_where_notifications_go(channel, where, named, expected) -> None:
    assert Actor("U1", channel).place(where, named) == expected


def test_where_a_person_can_look_is_their_dm_and_the_channel_they_are_in() -> None:
    assert Actor("U1", "C1").places() == [Dest.dm("U1"), Dest.channel("C1")]
    assert Actor("U1", "D1").places() == [Dest.dm("U1")]
    assert Actor("U1", None).where() == Dest.dm("U1")
    assert Actor("U1", "G7").where() == Dest.channel("G7")
