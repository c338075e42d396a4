"""The demo's embedded Redis: fakeredis served over TCP on a loopback port, in this process.

fakeredis's TCP server drops the connection after any error reply (BUSYGROUP,
NOSCRIPT, ...), which redis-py's asyncio client cannot recover from; here an
error reply is sent as Redis sends it and the connection stays open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from redis.exceptions import ResponseError

from bot.playground.server_thread import free_port


def _handler_class():
    try:
        from fakeredis._clients._tcp_server import TCPFakeRequestHandler
    except ImportError:  # another layout: keep fakeredis's own handler
        return None

    class ErrorRepliesHandler(TCPFakeRequestHandler):
        def setup(self) -> None:
            super().setup()
            client = self.current_client
            read = client.read_response

            def read_response(*args, **kwargs):
                try:
                    return read(*args, **kwargs)
                except ResponseError as exc:      # an error reply, not a broken connection
                    return exc

            client.read_response = read_response

    return ErrorRepliesHandler


def start_embedded_redis() -> tuple[str, Callable[[], None]]:
    """Start it; return its URL and a function that stops it."""
    from fakeredis import TcpFakeServer

    port = free_port()
    server = TcpFakeServer(("127.0.0.1", port), server_type="redis")
    handler = _handler_class()
    if handler is not None:
        server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="embedded-redis")
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"redis://127.0.0.1:{port}/0", stop
