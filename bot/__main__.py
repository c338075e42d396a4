"""`python -m bot [gen-key|rotate-keys]`: the bot, or one of its key chores.

The simulator and the local demo are the sandbox's: `python -m sandbox [demo|simulator]`.

Logging is configured here and nowhere else.
"""

from __future__ import annotations

import argparse
import logging
import sys


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="cmd")

    sub.add_parser("gen-key", help="print a new Fernet key for BOT_ENCRYPTION_KEY")
    sub.add_parser("rotate-keys", help="re-encrypt linked keys with BOT_ENCRYPTION_KEY's first key")

    args = parser.parse_args(argv)
    if args.cmd == "gen-key":
        from bot.cli import gen_key

        return gen_key()

    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)

    if args.cmd == "rotate-keys":
        from bot.cli import rotate_keys

        return rotate_keys(settings)

    from bot.serve import run_bot

    try:
        return run_bot(settings)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
