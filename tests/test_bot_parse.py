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
from bot.payloads import ListState
from tests.support.fixtures_bot import all_text

ID = "dj-1b75f4d5-5c9e-4d33-b164-a2393bc5ab6d"


def test_each_subcommand_parses_to_its_type():
    assert interpret(f"inspect {ID}")[1] == Inspect(ID)
    assert interpret(f"CANCEL   {ID} ")[1] == Cancel(ID)
    assert interpret(f"rename {ID} New  name")[1] == Rename(ID, "New  name")
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


@pytest.mark.parametrize("bad", ["../x", "a/b", "x?y=1", "a#b", "%2e%2e", "x" * 129])
def test_malformed_ids_become_help_with_the_reason(bad):
    shown = interpret(f"inspect {bad}")
    assert isinstance(shown, dict)
    assert "is not a job id" in all_text(shown) and "/datajobs inspect" in all_text(shown)


def test_extra_words_after_an_id_are_refused():
    assert "Only a job id is expected" in all_text(interpret(f"cancel {ID} now please"))


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
