"""One task API for background work: run a function on a worker thread, hear about it on the GUI thread.

::

    task = manager.run(lambda progress, cancel: library.import_files(paths, progress, cancel),
                       on_progress=bar.set_fraction, on_done=show_results, on_error=show_error)
    cancel_button.clicked.connect(task.cancel)

The work function is called as ``fn(progress, cancel)``: ``progress(fraction)`` reports 0..1 and
``cancel`` is a ``threading.Event`` it should check and stop at. It never touches a widget. Its
result goes to ``on_done`` and an exception it raises to ``on_error``, both called on the GUI thread,
as is ``on_progress``. A cancelled function decides what to return (partial results, say), and that
still goes to ``on_done``; ``task.cancelled`` tells the caller it was asked to stop.

Delivery: the worker emits the signals of one bridge QObject; the manager's slots receive them,
queued to the GUI thread where the manager lives. Give each view a manager of its own, parented to
it: when the view is destroyed, so is the manager, Qt drops the connections, and callbacks of tasks
still running never reach deleted widgets. Every task is asked to stop when the application quits,
so that no worker keeps the process alive.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

log = logging.getLogger(__name__)

Work = Callable[[Callable[[float], None], threading.Event], Any]
PROGRESS_STEP = 0.001  # smaller changes are not sent: a decoder may report thousands of times


class Task:
    """A handle on one piece of background work."""

    def __init__(self, on_progress: Callable[[float], None] | None, on_done: Callable[[Any], None] | None,
                 on_error: Callable[[BaseException], None] | None) -> None:
        self.on_progress, self.on_done, self.on_error = on_progress, on_done, on_error
        self._cancel = threading.Event()
        self.finished = False  # set on the GUI thread, once on_done or on_error has been called

    def cancel(self) -> None:
        """Ask the work function to stop (it sees ``cancel.is_set()``). Safe from any thread."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Bridge(QObject):
    """Emitted from worker threads. It has no parent: the running workers keep it alive."""

    progressed = Signal(object, float)
    succeeded = Signal(object, object)
    failed = Signal(object, object)


class TaskManager(QObject):
    """Runs work functions on a thread pool of ``workers`` threads; create and use it on the GUI thread."""

    def __init__(self, parent: QObject | None = None, workers: int = 4) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ui-task")
        self._bridge = _Bridge()
        self._bridge.progressed.connect(self._progressed)
        self._bridge.succeeded.connect(self._succeeded)
        self._bridge.failed.connect(self._failed)
        self._running: set[Task] = set()
        self._closed = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def run(self, fn: Work, *, on_progress: Callable[[float], None] | None = None,
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Start ``fn(progress, cancel)`` on a worker thread; callbacks arrive on the GUI thread."""
        task = Task(on_progress, on_done, on_error)
        if self._closed:  # shut down: a late caller (a result arriving as a view closes) gets a dead task
            task.cancel()
            return task
        self._running.add(task)
        self._executor.submit(self._work, self._bridge, task, fn)
        return task

    def running(self) -> list[Task]:
        return list(self._running)

    @Slot()
    def shutdown(self) -> None:
        """Cancel every task and start no new ones; workers finish in the background."""
        self._closed = True
        for task in self._running:
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _work(bridge: _Bridge, task: Task, fn: Work) -> None:
        sent = [-1.0]

        def progress(fraction: float) -> None:
            fraction = min(max(float(fraction), 0.0), 1.0)
            if abs(fraction - sent[0]) < PROGRESS_STEP and fraction not in (0.0, 1.0) or fraction == sent[0]:
                return
            sent[0] = fraction
            bridge.progressed.emit(task, fraction)

        try:
            result = fn(progress, task._cancel)
        except Exception as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            bridge.failed.emit(task, exc)
        else:
            bridge.succeeded.emit(task, result)

    @Slot(object, float)
    def _progressed(self, task: Task, fraction: float) -> None:
        if task.on_progress is not None and not task.finished:
            task.on_progress(fraction)

    @Slot(object, object)
    def _succeeded(self, task: Task, result: Any) -> None:
        self._finish(task)
        if task.on_done is not None:
            task.on_done(result)

    @Slot(object, object)
    def _failed(self, task: Task, exc: BaseException) -> None:
        self._finish(task)
        if task.on_error is not None:
            task.on_error(exc)
        else:
            log.error("background task failed", exc_info=exc)

    def _finish(self, task: Task) -> None:
        task.finished = True
        self._running.discard(task)
