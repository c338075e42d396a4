"""Parse ``subscribe`` / ``unsubscribe`` / ``subscriptions`` text into typed commands. Pure.

Grammar (after the subcommand word):
  subscribe   <job>|all [#channel|here] [events:<s1>,<s2>…]
  unsubscribe <job>|all [#channel|here]
  subscriptions [#channel|here|mine]
A channel arrives from Slack's autocomplete as ``<#C0123|name>`` (the name is
often empty: ``<#C0123|>``). No target means the person's own DM. A job is an id, an
id prefix or a name, quoted when it has spaces (``bot.refs``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.refs import Reference, RefError, Token, tokens
from bot.render.text import clip
from bot.values import DEFAULT_EVENTS, KNOWN_EVENTS, Where

from .parse import ParseError, job_ref, unescape_slack

_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]{2,30})(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class Target:
    """``kind`` "dm" (the caller), "here" (where the command was typed) or "channel"."""

    kind: Where
    channel_id: str | None = None


DM = Target("dm")
HERE = Target("here")


@dataclass(frozen=True)
class Subscribe:
    job: Reference | None  # None = every job
    target: Target = DM
    events: tuple[str, ...] = DEFAULT_EVENTS
    events_given: bool = False


@dataclass(frozen=True)
class Unsubscribe:
    job: Reference | None
    target: Target = DM


@dataclass(frozen=True)
class ListSubscriptions:
    target: Target | None = None  # None: this channel in a channel, else mine


def _target(token: str) -> Target | None:
    low = token.lower()
    if low == "here":
        return HERE
    if low in ("me", "mine", "dm"):
        return DM
    m = _CHANNEL.match(token)
    if m:
        return Target("channel", m.group(1))
    return None


def _bad_target(token: str) -> ParseError:
    if token.startswith(("#", "&lt;#")):
        return ParseError(
            f"I can't tell which channel `{clip(unescape_slack(token), 80)}` is. "
            "Pick it from Slack's autocomplete as you type `#`, or use `here`."
        )
    return ParseError(
        f"I don't understand `{clip(unescape_slack(token), 80)}`. After the job id "
        "give `#channel`, `here`, or `events:failed,needs_review`."
    )


def parse_events(value: str) -> tuple[str, ...]:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    if not names:
        raise ParseError("`events:` needs at least one status, e.g. `events:failed,needs_review`.")
    if names == ["all"]:
        return KNOWN_EVENTS
    bad = [n for n in names if n not in KNOWN_EVENTS]
    if bad:
        allowed = ", ".join(f"`{e}`" for e in KNOWN_EVENTS)
        raise ParseError(
            f"`{clip(bad[0], 40)}` is not a job status. `events:` takes any of "
            f"{allowed} (or `all`)."
        )
    return tuple(dict.fromkeys(names))


def _words(rest: str) -> tuple[Token | None, list[str]]:
    """The job (a word or quoted name) and the plain words after it."""
    try:
        found = tokens(rest)
    except RefError as exc:
        raise ParseError(exc.message) from None
    if not found:
        return None, []
    return found[0], [t.text for t in found[1:]]


def _scope(token: Token | None, verb: str) -> Reference | None:
    if token is None:
        raise ParseError(f"Which job? `{verb} <job>`, or `{verb} all` for every job.")
    if not token.quoted and token.text.lower() == "all":
        return None
    return job_ref(token)


def parse_subscribe(rest: str) -> Subscribe:
    first, words = _words(rest)
    job = _scope(first, "subscribe")
    target, events = None, None
    for tok in words:
        if tok.lower().startswith("events:"):
            if events is not None:
                raise ParseError("`events:` is given twice.")
            events = parse_events(tok[len("events:") :])
            continue
        t = _target(tok)
        if t is None:
            raise _bad_target(tok)
        if target is not None:
            raise ParseError("Give one place to notify: `#channel`, `here`, or nothing for a DM.")
        target = t
    return Subscribe(job, target or DM, events or DEFAULT_EVENTS, events is not None)


def parse_unsubscribe(rest: str) -> Unsubscribe:
    first, words = _words(rest)
    job = _scope(first, "unsubscribe")
    if len(words) > 1:
        raise ParseError(
            "`unsubscribe <job>|all [#channel|here]`: one job (or `all`) and at most one place."
        )
    target = DM
    if words:
        target = _target(words[0]) or _raise(_bad_target(words[0]))
    return Unsubscribe(job, target)


def parse_subscriptions(rest: str) -> ListSubscriptions:
    tokens = rest.split()
    if not tokens:
        return ListSubscriptions(None)
    if len(tokens) > 1:
        raise ParseError("`subscriptions [#channel|here|mine]`: at most one place.")
    return ListSubscriptions(_target(tokens[0]) or _raise(_bad_target(tokens[0])))


def _raise(exc: Exception):
    raise exc


def place_arg(token: str) -> Target:
    """``#channel`` / ``here`` / ``mine`` -> Target, or a ParseError saying what was expected."""
    return _target(token) or _raise(_bad_target(token))
