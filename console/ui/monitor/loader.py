"""Background reads for one view: coalesced, one at a time, only the newest applied."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from console.ui.tasks import Task, TaskManager

log = logging.getLogger(__name__)


class Loader(QObject):
    """``request()`` may be called as often as anything changes: requests are coalesced by a
    single-shot timer and at most one read runs at a time (a request during a read starts another
    after it). ``key()`` (GUI thread) says what to read now, or None for nothing; ``work(key)`` runs on
    a worker of ``tasks``; ``apply(result)`` runs on the GUI thread, and only if ``key()`` still gives
    the same key (the view has not moved on meanwhile).

    With a ``view``, the loader reads when the view is shown, and :meth:`refresh` (also every
    ``refresh_ms``) reads only while it is visible: a hidden view costs nothing."""

    def __init__(self, tasks: TaskManager, key: Callable[[], Hashable | None], work: Callable[[Any], Any],
                 apply: Callable[[Any], None], *, view: QWidget | None = None, refresh_ms: int = 0,
                 delay_ms: int = 30, on_error: Callable[[BaseException], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks, self._key, self._work, self._apply, self._on_error = tasks, key, work, apply, on_error
        self._view = view
        self._task: Task | None = None
        self._again = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._start)
        if view is not None:
            view.installEventFilter(self)
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self.refresh)
        if refresh_ms:
            self._refresh.start(refresh_ms)

    @property
    def busy(self) -> bool:
        return self._task is not None or self._timer.isActive()

    def request(self) -> None:
        self._timer.start()

    def refresh(self, *_args) -> None:
        """Read again if the view is visible (a hidden one reads when it is shown)."""
        if self._view is None or self._view.isVisible():
            self.request()

    def eventFilter(self, obj, event) -> bool:
        if obj is self._view and event.type() == QEvent.Type.Show:
            self.request()
        return False

    def _start(self) -> None:
        if self._task is not None:
            self._again = True
            return
        key = self._key()
        if key is None:
            return
        work = self._work
        self._task = self._tasks.run(lambda _progress, _cancel: work(key),
                                     on_done=lambda result: self._done(key, result), on_error=self._failed)

    def _done(self, key, result) -> None:
        self._task = None
        if key == self._key():
            self._apply(result)
        self._next()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        if self._on_error is not None:
            self._on_error(exc)
        else:
            log.warning("monitor view: reading failed: %s", exc)
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.request()
