"""Serve an ASGI app with uvicorn on a loopback port, in a thread with its own event loop.

The one server helper of the demo, the tests and the benchmarks. The socket is
bound when the object is made and handed to uvicorn, so no other process can
take the port between choosing it and serving on it.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


class ServerThread:
    """``ServerThread(app).start()`` serves until ``stop()``; also a context manager.

    ``log_level`` None leaves logging as the process configured it (the demo);
    tests and benchmarks pass "warning": uvicorn's own handlers, quiet unless
    something is wrong.
    """

    def __init__(
        self,
        app: Any,
        port: int | None = None,
        host: str = "127.0.0.1",
        *,
        log_level: str | None = None,
        graceful: float = 3.0,
    ):
        self.host = host
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            self.sock.bind((host, port or 0))
        except OSError:
            self.sock.close()
            raise
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            host=host,
            port=self.port,
            # None: the process's own logging; a level: uvicorn's default handlers at it
            log_config=None if log_level is None else uvicorn.config.LOGGING_CONFIG,
            log_level=log_level,
            access_log=False,
            lifespan="auto",
            timeout_graceful_shutdown=graceful,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self.sock]},
            daemon=True,
            name=f"uvicorn-{self.port}",
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                self.sock.close()
                raise RuntimeError(f"the server on port {self.port} did not start")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the server on port {self.port} did not start in {timeout:g}s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout=timeout)
        self.sock.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
