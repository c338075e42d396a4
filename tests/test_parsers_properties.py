"""Property-based tests (Hypothesis) of every parser of untrusted text.

Whatever a person types or Slack sends back, each parser either returns a typed value
or refuses with its own error; nothing else ever escapes, and what the bot writes it
reads back unchanged.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import interpret
from bot.commands.parse import ListJobs, Rename
from bot.commands.summary_parse import SummarySet
from bot.payloads import (
    LIST_MAX,
    NAME_FILTER_MAX,
    BadPayload,
    JobRef,
    ListState,
    LoginMeta,
    QuietRef,
    RenameMeta,
    RowAction,
    SubRef,
    SubsPage,
    decode,
    encode,
)
from bot.refs import QUOTES, Reference, RefError, RefKind, Token, ref_of, split_token, tokens
from bot.render.jobs_list import controls_block_id
from bot.seekrflow import InvalidJobId, validate_job_id
from bot.seekrflow.models import JobStatus, JobType, SortBy, SortOrder
from bot.values import Dest, KeyRef, Nid

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
hostile = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400
) | st.sampled_from(["<!channel>", "../../etc", "²", "１２", "\x00", "%2e%2e", "a" * 4000])
words = st.lists(
    st.sampled_from(["list", "inspect", "rename", "cancel", "subscribe", "unsubscribe",
                     "subscriptions", "login", "logout", "whoami", "limit:", "type:", "sort:",
                     "order:", "events:", "here", "all", "#x", "<#C1|x>", "dj-1", "²", "-1",
                     "why", "summary", "daily", "off", "9:00", "24:00", "mine"])
    | hostile,
    max_size=6,
).map(" ".join)  # fmt: skip
NO_SPACE = st.characters(exclude_categories=("Zs", "Zl", "Zp", "Cc", "Cs"))  # one token
slack_id = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=2, max_size=30)
job_id = st.text(
    alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=128
).filter(lambda s: s.strip() == s)


@SETTINGS
@given(words)
def test_any_command_text_is_a_typed_command_or_help(text):
    parsed = interpret(text)
    if isinstance(parsed, dict):  # help, with the problem named: something a person can read
        assert parsed["text"] and parsed["blocks"]
        return
    _sub, cmd = parsed
    if isinstance(cmd, ListJobs):
        assert 1 <= cmd.state.limit <= LIST_MAX
    if isinstance(cmd, Rename):
        assert 1 <= len(cmd.name) <= 255 and cmd.name == cmd.name.strip()
    if hasattr(cmd, "job_id") and cmd.job_id is not None:
        assert validate_job_id(cmd.job_id) == cmd.job_id
    if isinstance(cmd, SummarySet):
        assert 0 <= cmd.hour <= 23 and 0 <= cmd.minute <= 59


@SETTINGS
@given(st.integers(-3, 30), st.integers(-3, 70), st.sampled_from(["", "0"]), hostile)
def test_a_summary_time_is_a_time_of_day_or_a_named_refusal(hour, minute, pad, junk):
    raw = f"{pad}{hour}:{minute:02d}" if minute >= 0 else f"{hour}:{minute}"
    parsed = interpret(f"summary daily {raw}")
    valid = 0 <= hour <= 23 and 0 <= minute <= 59 and len(f"{pad}{hour}") <= 2
    if valid:
        assert parsed[1] == SummarySet(hour, minute)
    else:
        assert isinstance(parsed, dict) and "is not a time of day" in str(parsed["blocks"])
    odd = interpret(f"summary daily {junk}")
    assert isinstance(odd, dict) or isinstance(odd[1], SummarySet)


@SETTINGS
@given(
    st.sampled_from(["hour", "morning", "mute", "unquiet", "why", "unsubscribe"]),
    st.none() | job_id,
    st.none() | st.builds(Dest, st.sampled_from(["u", "c"]), slack_id),
)
def test_a_menu_choice_fits_an_overflow_option_and_reads_back(op, job, dest):
    value = QuietRef(op=op, job_id=job, dest=dest, key_ref=KeyRef.user("U0ALICE"))
    raw = encode(value)
    if job is None or len(job) <= 60:  # a SeekrFlow id is 39 characters
        assert len(raw) <= 150  # Slack's limit for an option value
    assert decode(QuietRef, raw) == value


@SETTINGS
@given(
    st.integers(min_value=-(10**6), max_value=10**6).map(str)
    | st.text(NO_SPACE, min_size=1, max_size=30)
)
def test_list_limit_is_a_plain_number_from_1_to_100_or_a_named_refusal(raw):
    parsed = interpret(f"list limit:{raw}")
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= LIST_MAX:
        assert parsed[1].state.limit == int(raw)
    else:
        assert isinstance(parsed, dict) and "limit:" in parsed["text"] + str(parsed["blocks"])


payload_types = st.sampled_from(
    [JobRef, RowAction, ListState, RenameMeta, SubRef, QuietRef, SubsPage]
)


@SETTINGS
@given(payload_types, hostile | st.builds(str, st.dictionaries(st.text(max_size=3), hostile)))
def test_a_tampered_button_value_or_metadata_is_refused_as_bad_payload(kind, raw):
    try:
        value = decode(kind, raw)
    except BadPayload:
        return
    assert isinstance(value, kind)
    assert decode(kind, encode(value)) == value


def model(kind, **fields):
    """Hypothesis builds a pydantic model from its aliases: pass the fields by name instead."""
    return st.fixed_dictionaries(fields).map(lambda d: kind(**d))


@SETTINGS
@given(
    model(JobRef, job_id=job_id, name=st.none() | st.text(max_size=255)),
    model(RowAction, op=st.sampled_from(["inspect", "cancel"]), job_id=job_id),
    model(
        ListState,
        job_type=st.none() | st.sampled_from(JobType),
        sort_by=st.sampled_from(SortBy),
        sort_order=st.sampled_from(SortOrder),
        limit=st.integers(1, LIST_MAX),
        offset=st.integers(0, 1_000_000),
        status_bits=st.integers(0, (1 << len(JobStatus)) - 1),
        name=st.none()
        | st.text(
            st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
            min_size=1,
            max_size=NAME_FILTER_MAX,
        ),
    ),
    model(
        SubRef,
        dest=st.builds(Dest, st.sampled_from(["u", "c"]), slack_id),
        job_id=st.none() | job_id,
        key_ref=st.none() | st.builds(KeyRef, st.none() | slack_id),
    ),
)
def test_what_the_bot_writes_into_slack_it_reads_back_unchanged(ref, row, state, sub):
    for value in (ref, row, state, sub):
        raw = encode(value)
        assert len(raw) <= 2000  # fits a button value
        assert decode(type(value), raw) == value
    assert len(controls_block_id(state)) <= 255  # the list state rides in a block_id


@SETTINGS
@given(hostile)
def test_any_text_names_jobs_or_is_refused_with_a_sentence(text):
    try:
        found = tokens(text)
    except RefError as exc:
        assert exc.message
        return
    for token in found:
        try:
            ref = ref_of(token)
        except RefError as exc:
            assert exc.message
            continue
        assert ref.text and len(ref.text) <= 255
        if ref.kind is RefKind.PREFIX:
            assert ref.text.startswith("dj-") and ref.text == ref.text.lower()
        if ref.kind is RefKind.ID:
            assert validate_job_id(ref.text) == ref.text


@SETTINGS
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80)
    .filter(lambda t: t.strip() and not set(t) & set(QUOTES + "”"))
    .map(str.strip),
    st.sampled_from(['"{}"', "“{}”", "„{}“"]),
    words,
)
def test_a_quoted_name_reads_back_whole_and_leaves_the_rest(name, quoting, rest):
    after = rest
    token, left = split_token(quoting.format(name) + " " + after)
    assert token == Token(name, quoted=True)
    assert ref_of(token) == Reference(RefKind.NAME, name)
    assert left.strip() == after.strip()


@SETTINGS
@given(hostile)
def test_login_metadata_never_fails_and_keeps_only_a_channel_id(raw):
    meta = LoginMeta.decode(raw)
    assert meta.channel_id is None or meta.channel_id.isalnum()


@SETTINGS
@given(hostile)
def test_targets_key_refs_and_notification_ids_parse_or_refuse(raw):
    for kind in (Dest, KeyRef, Nid):
        try:
            value = kind.parse(raw)
        except ValueError:
            continue
        assert kind.parse(str(value)) == value


@SETTINGS
@given(st.builds(Dest, st.sampled_from(["u", "c"]), slack_id), job_id, st.integers(1, 10**6))
def test_a_notification_id_round_trips(dest, job, occ):
    nid = Nid(job, "failed", occ, dest)
    assert Nid.parse(str(nid)) == nid


@SETTINGS
@given(hostile)
def test_a_job_id_is_clean_or_refused_with_a_sentence(raw):
    try:
        clean = validate_job_id(raw)
    except InvalidJobId as exc:
        assert exc.message.endswith(".")
        return
    assert clean == clean.strip() and not set(clean) & set("/\\?#%") and ".." not in clean
