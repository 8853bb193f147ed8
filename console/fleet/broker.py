"""The embedded broker of the demo station and the tests.

``start_embedded_broker()`` prefers a real Mosquitto (``mosquitto`` on PATH or in /usr/sbin), run as a
child process on a free loopback port with a generated config. Without it, it falls back to amqtt,
a pure-Python MQTT 3.1.1 broker, in a thread of this process: it is fine for the ~100-device demo
but stalls around 3,000 connections and has no MQTT 5, so it is never used for scale.
"""

from __future__ import annotations

import asyncio
import atexit
import getpass
import logging
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)


class BrokerError(RuntimeError):
    """The embedded broker could not start."""


def free_port() -> int:
    """A free loopback port, below the usual ephemeral range (32768+), so that the many outgoing
    connections of a large simulated fleet cannot take it between this check and the broker's bind."""
    rng = random.Random()
    for _ in range(50):
        port = rng.randrange(20000, 32000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_mosquitto() -> str | None:
    return shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")


def _wait_port(port: int, timeout: float, alive=lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise BrokerError("the broker exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise BrokerError(f"the broker did not open port {port} within {timeout:.0f} s")


def raise_fd_limit() -> int:
    """Raise this process's open-file limit to the hard limit (10,000 devices need 10,000 sockets)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            return soft
    return hard


# Brokers this process started; stopped at interpreter exit, so none outlives the console.
_running: set = set()


@atexit.register
def _stop_all() -> None:
    for broker in list(_running):
        broker.stop()


def _stop_stale(pid_file: Path, conf: Path) -> None:
    """A console killed outright (SIGKILL, power cut) leaves its broker running: stop that one."""
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (OSError, ValueError):
        return
    if str(conf) in cmdline:
        log.info("stopping the broker left over by a previous run (pid %d)", pid)
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass


class EmbeddedBroker:
    """Base: ``url``, ``kind`` ("mosquitto" or "amqtt"), ``mqtt5``, ``stop()``; a context manager."""

    kind = ""
    mqtt5 = False

    def __init__(self, port: int):
        self.host = "127.0.0.1"
        self.port = port

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class MosquittoBroker(EmbeddedBroker):
    kind = "mosquitto"
    mqtt5 = True

    def __init__(self, binary: str, port: int | None = None, workdir: str | os.PathLike | None = None,
                 extra_config: str = "", max_queued_messages: int = 100_000):
        self._own_dir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="tt-mosquitto-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_file = self.workdir / "mosquitto.log"
        # A free port can be taken by someone else before mosquitto binds it: try a few.
        for attempt in range(5):
            super().__init__(port or free_port())
            conf = self.workdir / "mosquitto.conf"
            _stop_stale(self.workdir / "mosquitto.pid", conf)
            conf.write_text(
                f"listener {self.port} 127.0.0.1\n"
                "allow_anonymous true\n"
                "persistence false\n"
                # Started as root, mosquitto would switch to the "mosquitto" user and lose access
                # to our files; stay who we are.
                f"user {getpass.getuser()}\n"
                "max_keepalive 300\n"
                "set_tcp_nodelay true\n"
                f"max_queued_messages {max_queued_messages}\n"
                "max_inflight_messages 100\n"
                f"log_dest file {self.log_file}\n"
                f"pid_file {self.workdir / 'mosquitto.pid'}\n"
                "log_type error\nlog_type warning\nlog_type notice\n"
                "connection_messages false\n"
                + extra_config,
                encoding="utf-8")
            self.proc = subprocess.Popen(
                [binary, "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, preexec_fn=raise_fd_limit, start_new_session=True)
            try:
                _wait_port(self.port, 10, alive=lambda: self.proc.poll() is None)
                break
            except BrokerError as e:
                err = self.proc.stderr.read().decode(errors="replace").strip() if self.proc.poll() is not None else ""
                self._end()
                if port is None and "in use" in err and attempt < 4:
                    continue
                if self._own_dir:
                    shutil.rmtree(self.workdir, ignore_errors=True)
                raise BrokerError(f"mosquitto: {e}{': ' + err.splitlines()[-1] if err else ''}") from None
        _running.add(self)
        log.info("embedded mosquitto on %s (pid %s)", self.url, self.proc.pid)

    def kill(self) -> None:
        """Simulate a broker crash (tests)."""
        self.proc.kill()
        self.proc.wait()

    def _end(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()

    def stop(self) -> None:
        _running.discard(self)
        self._end()
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)


class AmqttBroker(EmbeddedBroker):
    """amqtt in its own thread and event loop."""

    kind = "amqtt"

    def __init__(self, port: int | None = None):
        logging.getLogger("amqtt").setLevel(logging.CRITICAL)
        logging.getLogger("transitions").setLevel(logging.WARNING)
        for attempt in range(5):  # a free port can be taken before we bind it
            super().__init__(port or free_port())
            self._loop = asyncio.new_event_loop()
            self._started = threading.Event()
            self._error: BaseException | None = None
            self._broker = None
            self._thread = threading.Thread(target=self._run, name="amqtt-broker", daemon=True)
            self._thread.start()
            if not self._started.wait(15):
                raise BrokerError("amqtt did not start within 15 s")
            if self._error is None:
                break
            if port is not None or "in use" not in str(self._error) or attempt == 4:
                raise BrokerError(f"amqtt did not start: {self._error}")
        _wait_port(self.port, 5)
        log.info("embedded amqtt on %s", self.url)

    def _run(self) -> None:
        from amqtt.broker import Broker

        asyncio.set_event_loop(self._loop)
        config = {
            "listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{self.port}", "max_connections": 5000}},
            "sys_interval": 0,
            "auth": {"allow-anonymous": True, "plugins": ["auth_anonymous"]},
            "topic-check": {"enabled": False},
        }
        try:
            self._broker = Broker(config, loop=self._loop)
            self._loop.run_until_complete(self._broker.start())
        except BaseException as e:  # noqa: BLE001 - reported to the starting thread
            self._error = e
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()

    def stop(self) -> None:
        if self._broker is not None and self._loop.is_running():
            fut = asyncio.run_coroutine_threadsafe(self._broker.shutdown(), self._loop)
            try:
                fut.result(5)
            except Exception:  # noqa: BLE001 - best effort on the way out
                log.debug("amqtt shutdown", exc_info=True)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)


def start_embedded_broker(prefer: str = "auto", workdir: str | os.PathLike | None = None,
                          **mosquitto_options) -> EmbeddedBroker:
    """Start Mosquitto if it is installed (or ``prefer="mosquitto"``), else amqtt."""
    binary = find_mosquitto() if prefer in ("auto", "mosquitto") else None
    if binary:
        return MosquittoBroker(binary, workdir=workdir, **mosquitto_options)
    if prefer == "mosquitto":
        raise BrokerError("mosquitto is not installed (Debian: apt-get install mosquitto)")
    if prefer == "auto":
        log.warning("mosquitto not found: using the built-in Python broker (demo scale only, MQTT 3.1.1)")
    return AmqttBroker()
