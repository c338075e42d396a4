"""Parsing /datajobs text into typed commands, and the dispatcher's choices."""

from __future__ import annotations

import pytest

from bot.commands import SUBCOMMANDS, interpret, lookup
from bot.commands.parse import (
    Cancel,
    Inspect,
    ListJobs,
    ParseError,
    Rename,
    parse_list,
    parse_rename,
    unescape_slack,
)
from bot.commands.subscribe_parse import parse_subscribe, parse_unsubscribe
from bot.payloads import ListState
from bot.refs import Reference, RefKind
from tests.support.fixtures_bot import all_text

ID = "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d"
REF = Reference.of_id(ID)


def test_each_subcommand_parses_to_its_type():
    assert interpret(f"inspect {ID}")[1] == Inspect(REF)
    assert interpret(f"CANCEL   {ID} ")[1] == Cancel(REF)
    assert interpret(f"rename {ID} New  name")[1] == Rename(REF, "New  name")
    assert interpret("list")[1] == ListJobs(ListState())
    assert interpret("ls limit:3")[1] == ListJobs(ListState(limit=3))


def test_list_options():
    state = parse_list("type:context_grounded_vector_db sort:job_type order:ASC limit:100").state
    assert (state.job_type, state.sort_by, state.sort_order, state.limit) == (
        "context_grounded_vector_db",
        "job_type",
        "asc",
        100,
    )
    assert parse_list("type:any").state.job_type is None


@pytest.mark.parametrize(
    "text, says",
    [
        ("limit:0", "from 1 to 100"),
        ("limit:101", "from 1 to 100"),
        ("limit:ten", "from 1 to 100"),
        ("type:pdf", "`type:` must be one of"),
        ("order:up", "`order:` must be one of"),
        ("sort:", "I don't understand"),
        ("page2", "I don't understand"),
        ("limit:2 limit:3", "given twice"),
    ],
)
def test_bad_list_options_are_named(text, says):
    with pytest.raises(ParseError) as err:
        parse_list(text)
    assert says in err.value.message


def test_unescape_once_and_only_slacks_three_entities():
    assert (
        unescape_slack("&lt;b&gt; &amp;amp; &quot;x&quot; &#39;") == "<b> &amp; &quot;x&quot; &#39;"
    )
    assert parse_rename(f"{ID} A &amp; B").name == "A & B"


def test_rename_needs_a_name_within_255():
    with pytest.raises(ParseError, match="Give the new name"):
        parse_rename(ID)
    with pytest.raises(ParseError, match="256 characters"):
        parse_rename(f"{ID} {'x' * 256}")
    assert len(parse_rename(f"{ID} {'x' * 255}").name) == 255
    # length counts what the person typed, not Slack's escaped form
    assert parse_rename(f"{ID} {'&amp;' * 255}").name == "&" * 255


@pytest.mark.parametrize("bad", ["dj-../x", "dj-a/b", "dj-x?y=1", "dj-a#b", "dj-%2e%2e"])
def test_malformed_ids_become_help_with_the_reason(bad):
    shown = interpret(f"inspect {bad}")
    assert isinstance(shown, dict)
    assert "is not a job id" in all_text(shown) and "/datajobs inspect" in all_text(shown)


def test_extra_words_after_a_job_are_refused():
    shown = all_text(interpret(f"cancel {ID} now please"))
    assert "Only one job is expected" in shown and "goes in quotes" in shown


def test_a_job_is_an_id_a_prefix_or_a_name():
    assert interpret("inspect DJ-1B75F4")[1] == Inspect(Reference(RefKind.PREFIX, "dj-1b75f4"))
    assert interpret("inspect payroll")[1] == Inspect(Reference(RefKind.NAME, "payroll"))
    quoted = Reference(RefKind.NAME, "Customer support refresh")
    assert interpret('inspect "Customer support refresh"')[1] == Inspect(quoted)
    assert interpret("cancel “Customer support refresh”")[1] == Cancel(quoted)  # a phone's quotes
    # Slack sends what was typed with &, < and > escaped
    assert interpret('inspect "A &amp; B"')[1] == Inspect(Reference(RefKind.NAME, "A & B"))
    assert interpret('rename "Old name" New name')[1] == Rename(
        Reference(RefKind.NAME, "Old name"), "New name"
    )
    assert parse_subscribe('"Nightly ingest" here').job == Reference(RefKind.NAME, "Nightly ingest")
    assert parse_subscribe("all").job is None and parse_unsubscribe('"all"').job is not None


@pytest.mark.parametrize(
    "text, says",
    [
        ("inspect dj-1b75", "at least 6 hex digits"),
        ('inspect "Customer support', "quote is not closed"),
        ('inspect ""', "quotes are empty"),
        ("inspect", "Which job?"),
        (f"inspect {'x' * 256}", "at most 255"),
    ],
)
def test_bad_references_say_why(text, says):
    shown = interpret(text)
    assert isinstance(shown, dict) and says in all_text(shown)


def test_unknown_and_empty_text_get_help():
    assert "I don't know `nope`" in all_text(interpret("nope"))
    everything = all_text(interpret(""))
    for sub in SUBCOMMANDS:
        assert f"/datajobs {sub.usage.split()[0]}" in everything


def test_table_lookup():
    assert lookup("LIST").name == "list" and lookup("show").name == "inspect"
    assert lookup("frob") is None
    names = [s.name for s in SUBCOMMANDS]
    assert len(names) == len(set(names))
