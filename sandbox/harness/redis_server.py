"""A private redis-server on a free loopback port, stopped by its own pid."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from sandbox.harness.ports import free_port
from sandbox.harness.processes import stop_process


class RedisServer:
    def __init__(
        self, *, appendonly: bool = False, port: int | None = None, extra: list[str] | None = None
    ):
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server is not installed (bash .ci/run installs it)")
        self.exe = exe
        self.fixed_port = port is not None
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="redis-test-"))
        self.appendonly = appendonly
        self.extra = extra or []
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 30.0) -> RedisServer:
        """Start and wait until it answers PING. A port taken by someone else between choosing
        and binding it makes redis-server exit: a port of our own choosing is then chosen again.
        On failure the process is stopped (by its pid) before the error is raised."""
        for _ in range(5):
            self._spawn()
            try:
                if self._wait_ready(timeout):
                    return self
            except BaseException:
                self.stop(signal.SIGKILL)
                raise
            self.stop(signal.SIGKILL)  # not serving: most likely the port was taken
            if self.fixed_port:
                break
            self.port = free_port()
        raise RuntimeError(f"redis-server did not start on 127.0.0.1:{self.port}:\n{self._log()}")

    def _spawn(self) -> None:
        args = [
            self.exe,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.dir),
            "--save",
            "",
            "--daemonize",
            "no",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "always" if self.appendonly else "everysec",
            "--logfile",
            str(self.dir / "redis.log"),
            *self.extra,
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _wait_ready(self, timeout: float) -> bool:
        """True once our process answers; False if it exited first. Never mistakes another
        process on the same port for ours: the answering server must report our pid."""
        import redis

        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                return False
            r = redis.Redis(
                host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=2
            )
            try:
                r.ping()  # raises while an AOF is still being loaded
                # False: someone else's server has the port
                return r.info("server").get("process_id") == self.proc.pid
            except Exception:  # noqa: BLE001 - not up yet, whatever the reason: ask again
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"redis-server on 127.0.0.1:{self.port} did not answer "
                        f"within {timeout:.0f}s:\n{self._log()}"
                    ) from None
                time.sleep(0.05)
            finally:
                r.close()

    def _log(self) -> str:
        try:
            return "\n".join(
                (self.dir / "redis.log").read_text(errors="replace").splitlines()[-10:]
            )
        except OSError:
            return ""

    def stop(self, sig: int = signal.SIGTERM) -> None:
        stop_process(self.proc, sig, grace=10)
        self.proc = None

    def restart(self) -> None:
        """Stop and start again on the same port and data dir (AOF is replayed when on)."""
        self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
