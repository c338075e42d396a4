"""`python -m bot [doctor|gen-key|rotate-keys]`: the bot, a check of its setup, or a key chore.

The simulator and the local demo are the sandbox's: `python -m sandbox [demo|simulator]`.

Logging is configured here and nowhere else.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings


def configure_logging(settings: Settings | None = None) -> None:
    """Text or JSON lines on stderr, at LOG_LEVEL, with the settings' secrets redacted."""
    from bot import logs

    if settings is None:
        logs.configure()
        return
    logs.configure(settings.log_level, settings.log_format, settings.secret_values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="cmd")

    sub.add_parser(
        "doctor", help="check the settings, Slack, SeekrFlow and Redis; exit 0 when all pass"
    )
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
        if args.cmd == "doctor":
            print(f"FAIL  settings: {exc}")
            return 2
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)

    if args.cmd == "doctor":
        from bot.doctor import doctor

        return doctor(settings, sys.stdout)

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
