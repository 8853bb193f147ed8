"""Turn the expected failures of every layer into one line for the user."""

from __future__ import annotations


def wait_for_signal() -> None:
    """Block until Ctrl+C or SIGTERM: the end of a command that serves until stopped."""
    import signal
    import threading

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass


class CliError(RuntimeError):
    """A user-facing failure of a command: printed as one line, exit code ``code``."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def user_message(exc: BaseException) -> tuple[str, int]:
    """(message, exit code) for an exception reaching the top of a command."""
    from console.fleet.broker import BrokerError
    from console.fleet.client import ConnectError
    from console.fleet.commands import CommandRefused
    from console.settings import SettingsError

    expected: tuple[type[BaseException], ...] = (SettingsError, ConnectError, BrokerError, CommandRefused)
    try:
        from console.store.db import StoreError
        expected += (StoreError,)
    except ImportError:
        pass
    code = getattr(exc, "code", 2)
    if isinstance(exc, (*expected, CliError)):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__, code if isinstance(code, int) else 2
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}", 2
    return f"unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} (run with --log-level debug for details)", 1
