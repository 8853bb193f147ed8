"""An aiohttp server on its own event loop in a daemon thread: what the media server and the
provincial collector share."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def start_loop(name: str, listen: Callable[[], Awaitable[None]],
               cleanup: Callable[[], Awaitable[None]]) -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    """Run a new loop in a thread and ``listen()`` on it; on failure ``cleanup()``, stop it and raise."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=name, daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(listen(), loop).result(START_TIMEOUT_S)
    except BaseException:
        stop_loop(loop, thread, cleanup)
        raise
    return loop, thread


def stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread,
              cleanup: Callable[[], Awaitable[None]]) -> None:
    """``cleanup()`` on the loop (the runner), then stop the loop and its thread."""
    async def close() -> None:
        await cleanup()
        await loop.shutdown_default_executor()

    try:
        asyncio.run_coroutine_threadsafe(close(), loop).result(STOP_TIMEOUT_S)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(STOP_TIMEOUT_S)
        if not thread.is_alive():
            loop.close()
