"""bot.services.lifecycle.retry_name: the name a retry's copy gets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.services.lifecycle import retry_name


def test_a_first_retry_is_numbered_1_and_a_retry_of_a_retry_counts_on() -> None:
    assert retry_name("nightly") == "nightly (retry 1)"
    assert retry_name("nightly (retry 1)") == "nightly (retry 2)"
    assert retry_name("nightly (retry 9)") == "nightly (retry 10)"
    assert retry_name("a (retry x)") == "a (retry x) (retry 1)"


def test_a_long_name_is_cut_to_fit_seekrflows_255_characters() -> None:
    name = retry_name("x" * 255)
    assert len(name) == 255 and name.endswith(" (retry 1)")


@given(st.text(min_size=1, max_size=300))
def test_every_retry_name_fits_and_says_it_is_a_retry(name: str) -> None:
    out = retry_name(name)
    assert len(out) <= 255 and out.rsplit(" (retry ", 1)[1].rstrip(")").isdigit()
