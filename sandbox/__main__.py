"""`python -m sandbox [demo|simulator] ...`: the local demo, or the SeekrFlow simulator alone.

Logging is configured as the bot's own command does it.
"""

from __future__ import annotations

import argparse
import sys

from bot.__main__ import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)

    demo = sub.add_parser("demo", help="simulator + Redis + bot + Slack playground, all local")
    demo.add_argument("--port", type=int, default=3000)
    demo.add_argument("--seed", type=int, default=7)

    sim = sub.add_parser("simulator", help="serve the SeekrFlow simulator")
    sim.add_argument("--port", type=int, default=8700)
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--api-key", default="sim-key")
    sim.add_argument("--seed", type=int, default=7)
    sim.add_argument("--speed", type=float, default=1.0, help="lifecycle clock multiplier")

    args = parser.parse_args(argv)
    if args.cmd == "simulator":
        configure_logging()
        from sandbox.simulator.serve import serve_simulator

        return serve_simulator(
            host=args.host, port=args.port, api_key=args.api_key, seed=args.seed, speed=args.speed
        )

    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    from sandbox.demo import run_demo

    return run_demo(settings, port=args.port, seed=args.seed)


if __name__ == "__main__":
    sys.exit(main())
