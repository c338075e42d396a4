"""The demo's embedded Redis: fakeredis served over TCP on a loopback port, in this process.

Two differences from Redis in fakeredis's TCP server are evened out here:
- it drops the connection after any error reply (BUSYGROUP, NOSCRIPT, ...), which
  redis-py's asyncio client cannot recover from: the error reply is sent and the
  connection stays open;
- it answers a blocking XREAD/XREADGROUP at once when nothing is there (asyncio
  clients), so a consumer waiting for events would spin: the empty answer comes
  after the BLOCK time instead (capped), as it would from Redis.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from redis.exceptions import ResponseError

MAX_BLOCK_S = 2.0
BLOCKING_READS = (b"XREAD", b"XREADGROUP")


class _CommandSniffer:
    """Follows the RESP lines a connection sends, to know the last command's arguments."""

    def __init__(self) -> None:
        self.args: list[bytes] = []

    def feed(self, line: bytes) -> None:
        if line.startswith(b"*"):
            self.args = []
        elif not line.startswith(b"$"):
            self.args.append(line.rstrip(b"\r\n"))

    def block_seconds(self) -> float | None:
        upper = [a.upper() for a in self.args]
        if not upper or upper[0] not in BLOCKING_READS or b"BLOCK" not in upper:
            return None
        try:
            ms = int(self.args[upper.index(b"BLOCK") + 1])
        except (IndexError, ValueError):
            return None
        return min(ms / 1000.0, MAX_BLOCK_S) if ms > 0 else MAX_BLOCK_S


def _handler_class():
    try:
        from fakeredis._clients._tcp_server import TCPFakeRequestHandler
    except ImportError:  # another layout: keep fakeredis's own handler
        return None

    class RedisLikeHandler(TCPFakeRequestHandler):
        def setup(self) -> None:
            super().setup()
            client = self.current_client
            sniffer = _CommandSniffer()
            sock = client.get_socket()
            send, read = sock.sendall, client.read_response

            def sendall(data: bytes) -> None:
                sniffer.feed(data)
                send(data)

            def read_response(*args, **kwargs):
                try:
                    response = read(*args, **kwargs)
                except ResponseError as exc:  # an error reply, not a broken connection
                    return exc
                wait = sniffer.block_seconds()
                if wait and not response:
                    time.sleep(wait)
                return response

            sock.sendall = sendall
            client.read_response = read_response

    return RedisLikeHandler


def start_embedded_redis() -> tuple[str, Callable[[], None]]:
    """Start it; return its URL and a function that stops it."""
    from fakeredis import TcpFakeServer

    server = TcpFakeServer(("127.0.0.1", 0), server_type="redis")  # the OS picks a free port
    port = server.server_address[1]
    handler = _handler_class()
    if handler is not None:
        server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="embedded-redis")
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"redis://127.0.0.1:{port}/0", stop
