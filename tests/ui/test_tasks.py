"""The task API: work on a worker thread, progress/result/error delivered on the GUI thread, cancellation."""

import threading

import pytest
from PySide6.QtCore import QObject

from console.ui.tasks import TaskManager


@pytest.fixture
def tasks(qapp):
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_progress_and_result_arrive_on_the_gui_thread(qtbot, tasks):
    gui = threading.current_thread()
    seen: dict = {"progress": [], "progress_threads": set()}

    def work(progress, cancel):
        seen["worker"] = threading.current_thread()
        for i in range(1, 5):
            progress(i / 4)
        return "ready"

    def on_progress(fraction):
        seen["progress"].append(fraction)
        seen["progress_threads"].add(threading.current_thread())

    def on_done(result):
        seen["result"], seen["done_thread"] = result, threading.current_thread()

    task = tasks.run(work, on_progress=on_progress, on_done=on_done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["worker"] is not gui
    assert seen["progress"] == [0.25, 0.5, 0.75, 1.0]
    assert seen["progress_threads"] == {gui} and seen["done_thread"] is gui
    assert seen["result"] == "ready"
    assert task.finished and not task.cancelled and tasks.running() == []


def test_cancel_stops_the_work_and_its_return_value_is_delivered(qtbot, tasks):
    started, stopped = threading.Event(), threading.Event()
    results = []

    def work(progress, cancel):
        started.set()
        steps = 0
        while not cancel.wait(0.01):  # a long job that checks the flag between steps
            steps += 1
        stopped.set()
        return f"stopped after {steps} steps"

    task = tasks.run(work, on_done=results.append)
    qtbot.waitUntil(started.is_set)
    assert not stopped.is_set()
    task.cancel()
    qtbot.waitUntil(lambda: results != [])
    assert stopped.is_set() and task.cancelled
    assert results[0].startswith("stopped after")


def test_an_exception_reaches_on_error_on_the_gui_thread(qtbot, tasks):
    errors, done = [], []

    def work(progress, cancel):
        raise ValueError("the file is not audio")

    tasks.run(work, on_done=done.append,
              on_error=lambda exc: errors.append((exc, threading.current_thread())))
    qtbot.waitUntil(lambda: errors != [])
    exc, thread = errors[0]
    assert isinstance(exc, ValueError) and str(exc) == "the file is not audio"
    assert thread is threading.current_thread() and done == []


def test_progress_is_thinned_out_but_keeps_the_last_value(qtbot, tasks):
    seen, done = [], []

    def work(progress, cancel):
        for i in range(100_001):
            progress(i / 100_000)

    tasks.run(work, on_progress=seen.append, on_done=done.append)
    qtbot.waitUntil(lambda: done != [])
    assert 500 < len(seen) <= 1001
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_nothing_is_delivered_after_the_owner_is_destroyed(qtbot, qapp):
    owner = QObject()
    manager = TaskManager(owner)
    executor = manager._executor
    release = threading.Event()
    delivered = []

    def work(progress, cancel):
        release.wait(5)
        progress(0.5)
        return "late"

    manager.run(work, on_progress=delivered.append, on_done=delivered.append)
    with qtbot.waitSignal(owner.destroyed):
        owner.deleteLater()
    release.set()
    executor.shutdown(wait=True)  # the worker has emitted everything
    qapp.processEvents()  # and whatever was queued would be delivered now
    assert delivered == []


def test_quitting_the_application_cancels_running_tasks(qtbot, qapp, tasks):
    started, results = threading.Event(), []

    def work(progress, cancel):
        started.set()
        return cancel.wait(10)  # True once cancelled

    task = tasks.run(work, on_done=results.append)
    qtbot.waitUntil(started.is_set)
    qapp.aboutToQuit.emit()
    qtbot.waitUntil(lambda: results != [])
    assert results == [True] and task.cancelled
