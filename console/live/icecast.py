"""Pushing a live stream to an Icecast 2.4 server as its source, for stations that have one.

:class:`IcecastPush` listens to a :class:`~console.live.stream.LiveChannel` like any listener and
sends what it gets to ``{url}{mount}`` with an HTTP ``PUT`` (Icecast 2.4's source protocol, as
libshout speaks it: Basic authentication, ``Content-Type``, ``Ice-*`` headers, ``Expect:
100-continue``, then the stream as the request body, with no length). Devices then play
:attr:`IcecastPush.public_url`. Icecast answers ``100 Continue`` (go on), or 401 (bad password),
403 (mount in use, type not allowed) and so on. Icecast 2.4 reads ``Ice-*`` headers as Latin-1
(unless the mount is configured with ``<charset>UTF-8</charset>``), so the name and description go
as ASCII, Vietnamese diacritics dropped ("Xã Tân Lập" -> "Xa Tan Lap").

When the connection fails or drops, the push says so (log warning, ``status``, ``on_status``) and
tries again after 1, 2, 4 ... up to 30 s; each connection starts at "now" in the stream, like any
new listener. It ends with the channel, or with :meth:`IcecastPush.stop`. A plain thread with a
blocking socket: one per broadcast.
"""

from __future__ import annotations

import base64
import logging
import socket
import threading
import unicodedata
import urllib.parse
from collections.abc import Callable

from console.live.stream import LiveChannel

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
SEND_TIMEOUT_S = 10.0
READ_WAIT_S = 0.5  # how often the sender looks at stop() while the channel is quiet
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 30.0

# status values (with a message for "retrying")
CONNECTING, CONNECTED, RETRYING, ENDED, STOPPED = "connecting", "connected", "retrying", "ended", "stopped"


class IcecastError(OSError):
    """Icecast refused the source (the message has its status line)."""


class IcecastPush:
    """Pushes ``channel`` to ``url`` (``http://host:port``) at ``mount`` (``/live-xyz.mp3``).

    ``public_url``: what devices play, ``{public_base or url}{mount}``. ``status`` and
    ``status_message`` say where it is; ``on_status(status, message)`` is called on the push's
    thread at each change. ``connects`` counts connections made.
    """

    def __init__(self, url: str, mount: str, user: str = "source", password: str = "", *,
                 name: str = "", description: str = "", public_base: str | None = None,
                 on_status: Callable[[str, str], None] | None = None) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"Icecast URL must be http://host[:port], not {url!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.url = f"http://{parts.netloc}"
        self.mount = "/" + mount.lstrip("/")
        self.user, self.password = user, password
        self.name, self.description = name, description
        self.public_url = (public_base or self.url).rstrip("/") + self.mount
        self.on_status = on_status
        self.status, self.status_message = STOPPED, ""
        self.connects = 0
        self._channel: LiveChannel | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, channel: LiveChannel) -> IcecastPush:
        if self._thread is not None:
            raise RuntimeError("the push has already started")
        self._channel = channel
        self._thread = threading.Thread(target=self._run, name="icecast-push", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """End the push (its connection is closed); waits for its thread up to ``timeout``."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    # --- the push's thread ------------------------------------------------------------------------

    def _say(self, status: str, message: str = "") -> None:
        self.status, self.status_message = status, message
        if self.on_status is not None:
            try:
                self.on_status(status, message)
            except Exception:
                log.exception("icecast push: on_status failed")

    def _run(self) -> None:
        retry = FIRST_RETRY_S
        while not self._stop.is_set():
            self._say(CONNECTING, self.url + self.mount)
            try:
                if self._push():
                    self._say(ENDED, "the broadcast ended")
                    return
            except OSError as e:
                if self._stop.is_set():
                    break
                message = f"{self.url}{self.mount}: {e}; retrying in {retry:g} s"
                log.warning("icecast push: %s", message)
                self._say(RETRYING, message)
                if self._stop.wait(retry):
                    break
                retry = min(2 * retry, MAX_RETRY_S)
                continue
            retry = FIRST_RETRY_S
        self._say(STOPPED)

    def _request(self) -> bytes:
        auth = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        channel = self._channel
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "tt-console",
            "Authorization": f"Basic {auth}",
            "Content-Type": channel.content_type,
            "Ice-Public": "0",
            "Ice-Name": _ascii(self.name or channel.name or self.mount),
            "Ice-Description": _ascii(self.description),
            "Ice-Audio-Info": f"channels=1;samplerate=48000;bitrate={channel.bitrate // 1000}",
            "Ice-Bitrate": str(channel.bitrate // 1000),
            "Expect": "100-continue",
        }
        lines = [f"PUT {urllib.parse.quote(self.mount)} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in headers.items() if v]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    def _push(self) -> bool:
        """One connection: True when the channel ended, False on stop(); OSError when it failed."""
        with socket.create_connection((self.host, self.port), timeout=CONNECT_TIMEOUT_S) as sock:
            sock.sendall(self._request())
            status = _status_line(sock)
            code = status.split(" ", 2)[1] if status.count(" ") else ""
            if code not in ("100", "200"):
                raise IcecastError(f"Icecast refused the source: {status or 'no answer'}")
            sock.settimeout(SEND_TIMEOUT_S)
            listener = self._channel.listen()
            self.connects += 1
            self._say(CONNECTED, self.public_url)
            try:
                while not self._stop.is_set():
                    data = listener.read(READ_WAIT_S)
                    if data is None:
                        continue
                    if not data:
                        if listener.dropped:
                            raise OSError("Icecast took the stream too slowly")
                        return True
                    sock.sendall(data)
            finally:
                listener.close()
        return False


def _ascii(text: str) -> str:
    """Text without diacritics (đ -> d), in ASCII, on one line."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join(text.encode("ascii", "ignore").decode().split())


def _status_line(sock: socket.socket, limit: int = 16384) -> str:
    """The status line of Icecast's answer, once its whole head has arrived."""
    head = b""
    while b"\r\n\r\n" not in head:
        data = sock.recv(4096)
        if not data:
            break
        head += data
        if len(head) > limit:
            break
    return head.split(b"\r\n", 1)[0].decode("latin-1").strip()
