"""Everything that stands in for the outside world, for the demo, the tests and the benchmarks.

- ``simulator/``: SeekrFlow's data-jobs API in a box (keys, lifecycle clock, faults, a log).
- ``playground/``: a fake Slack Web API and the browser playground that stands in for Slack.
- ``embedded_redis.py``: an in-process Redis (fakeredis) when ``REDIS_URL`` is unset.
- ``demo.py``: all of it and the bot in one process (``python -m sandbox demo``).
- ``server_thread.py``: the one helper that serves an ASGI app on a loopback port in a thread.

Production code (``bot/``) never imports this package; the wheel does not contain it.
"""
