"""What the sync worker tells the UI, and the operator's hold on it, against the collector on loopback: the
state (running, paused, retrying with the next try, stopped), the backlog kept current while nothing is
shipped, a pause that holds records back but never bulletins, a bounded history that survives a restart
(repeated failures as one entry), "sync now" cutting a backoff short, and the receipts of operator actions
sent at once rather than at the next idle check."""

from __future__ import annotations

import asyncio
import json
from argparse import Namespace
from datetime import date, timedelta

import numpy as np
from fixtures.audio import write_wav
from fixtures.waiting import wait_until
from provhelpers import add_records, province

from console import settings as st
from console.province import store
from console.schedule.model import Targets
from console.store import repo
from console.store.models import AdminUnit
from console.sync import cli, outbox
from console.sync.inbox import Inbox
from console.sync.worker import Backoff, SyncWorker, load_history

SITE = "st"


def make_worker(db, url: str, token: str, backoff=(0.01, 0.2), **kw) -> SyncWorker:
    kw.setdefault("idle_s", 0.05)
    kw.setdefault("poll_wait_s", 0.5)
    return SyncWorker(db, province(url, SITE, token, timeout_s=5), backoff=lambda: Backoff(*backoff), **kw)


def test_the_state_follows_what_the_worker_does(sqlite_collector, station_db):
    token = sqlite_collector.token(SITE)
    url = sqlite_collector.url
    worker = make_worker(station_db, url, token)
    assert worker.status().state == "stopped"
    worker.start()
    try:
        assert wait_until(lambda: worker.status().last_success is not None)
        assert worker.status().state == "running" and worker.status().next_retry_at is None
        worker.pause()
        assert worker.status().state == "paused"
        worker.resume()
        assert worker.status().state == "running"
        sqlite_collector.stop()
        add_records(station_db, 1)  # something to ship: with nothing, the shipping loop may not ask at all
        worker.sync_now()
        assert wait_until(lambda: worker.status().state == "retrying")
        status = worker.status()
        assert status.next_retry_at is not None and "no answer from the province" in status.last_error
        sqlite_collector.start()  # on the same port: the next try succeeds
        assert wait_until(lambda: worker.status().state == "running" and worker.status().last_error == "")
    finally:
        worker.stop()
    assert worker.status().state == "stopped"
    assert [h["kind"] for h in worker.history() if h["kind"] in ("paused", "resumed")] == ["paused", "resumed"]


def test_the_backlog_stays_current_while_nothing_is_shipped(sqlite_collector, station_db):
    token = sqlite_collector.token(SITE)
    url = sqlite_collector.url
    sqlite_collector.stop()  # the province is away
    worker = make_worker(station_db, url, token).start()
    try:
        assert wait_until(lambda: worker.status().state == "retrying")
        add_records(station_db, 12)
        assert wait_until(lambda: worker.status().backlog == 12)
        worker.pause()
        add_records(station_db, 3)
        assert wait_until(lambda: worker.status().backlog == 15)  # paused: looked at, not shipped
        assert worker.status().state == "paused"
    finally:
        worker.stop()


def test_a_pause_holds_the_records_back_but_not_the_bulletins(sqlite_collector, station_db, tmp_path):
    token = sqlite_collector.token(SITE)
    add_records(station_db, 5)
    worker = make_worker(station_db, sqlite_collector.url, token, media_dir=tmp_path / "inbox")
    worker.pause()
    worker.start()
    try:
        with sqlite_collector.db.sessions.begin() as s:
            store.send_bulletin(s, SITE, "normal", "Họp dân", text="19h tại nhà văn hoá")
        assert wait_until(lambda: worker.inbox.counts() == {"waiting": 1})
        assert wait_until(lambda: sqlite_collector.receipts(SITE, 1) == {"received": ""})
        assert sqlite_collector.count(SITE) == 0 and worker.status().backlog == 5
        worker.inbox.reject(1, "Đã họp rồi")  # the operator's receipt goes too
        assert wait_until(lambda: sqlite_collector.receipts(SITE, 1).get("rejected") == "Đã họp rồi")
        assert sqlite_collector.count(SITE) == 0
        worker.resume()
        assert wait_until(lambda: sqlite_collector.count(SITE) >= 5)
    finally:
        worker.stop()


def test_repeated_failures_are_one_entry_and_the_history_survives_a_restart(sqlite_collector, station_db, tmp_path):
    token = sqlite_collector.token(SITE)
    url = sqlite_collector.url
    path = tmp_path / "sync-history.json"
    add_records(station_db, 100)
    sqlite_collector.stop()
    worker = make_worker(station_db, url, token, history_path=path).start()
    try:
        assert wait_until(lambda: any(h.get("count", 1) >= 3 for h in worker.history()))
    finally:
        worker.stop()
    [error] = [h for h in worker.history() if h["kind"] == "error"]
    assert error["first_ts"] <= error["ts"] and "no answer from the province" in error["message"]

    sqlite_collector.start()
    again = make_worker(station_db, url, token, history_path=path, batch_records=10, history_size=6)
    assert again.history()[0] == error  # read back from the file
    assert asyncio.run(again.drain())["backlog"] == 0
    kept = again.history()
    assert len(kept) == 6 and all(h["kind"] == "batch" for h in kept)  # bounded: the oldest went
    assert [h["acked_through"] for h in kept][-1] == 101 and all(h["bytes"] > 0 for h in kept)
    assert load_history(path) == kept


def test_a_damaged_history_file_starts_a_new_history(sqlite_collector, station_db, tmp_path):
    path = tmp_path / "sync-history.json"
    path.write_text("{not json", encoding="utf-8")
    worker = make_worker(station_db, sqlite_collector.url, sqlite_collector.token(SITE), history_path=path)
    assert worker.history() == []
    worker.pause()
    assert [h["kind"] for h in load_history(path)] == ["paused"]


def test_sync_now_cuts_a_backoff_short(sqlite_collector, station_db, proxy_for):
    token = sqlite_collector.token(SITE)
    proxy = proxy_for(sqlite_collector.url)
    proxy.faults.append("500")
    add_records(station_db, 7)
    worker = make_worker(station_db, proxy.url, token, backoff=(60.0, 300.0)).start()  # 30-60 s before a retry
    try:
        assert wait_until(lambda: worker.status().state == "retrying")
        assert sqlite_collector.count(SITE) == 0
        worker.sync_now()
        assert wait_until(lambda: sqlite_collector.count(SITE) >= 7, timeout=10)  # well before the retry
        assert wait_until(lambda: worker.status().state == "running")
    finally:
        worker.stop()


def _services(db, tmp_path):
    from console.audio.library import Library
    from console.media.store import MediaStore
    from console.schedule.service import Scheduler

    library = Library(db, MediaStore(tmp_path / "media"), "operator", "admin")
    return library, Scheduler(db, library, "operator", "admin")


def test_operator_actions_send_their_receipts_at_once(sqlite_collector, station_db, tmp_path):
    """The worker idles 60 s between looks and long-polls 30 s: only the inbox's ``on_receipt`` can
    explain receipts that arrive within seconds of the action."""
    with station_db.sessions.begin() as s:
        s.add(AdminUnit(code="21553", name="Xã An Nhơn (cũ)", short_name="An Nhơn", type="Xã", level="commune",
                        valid_to=date(2025, 7, 1)))
        s.add(AdminUnit(code="21553", name="Xã An Nhơn", short_name="An Nhơn", type="Xã", level="commune"))
        repo.register_device(s, "LOA-1", adoption="adopted")
    rate = 16000
    wav = write_wav(tmp_path / "tin.wav", 0.3 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate), rate)
    token = sqlite_collector.token(SITE)
    with sqlite_collector.db.sessions.begin() as s:
        store.send_bulletin(s, SITE, "normal", "Thu thuế", media=wav, targets=["21553"])
        store.send_bulletin(s, SITE, "normal", "Họp dân", text="19h")
        store.send_bulletin(s, SITE, "normal", "Tin đã đọc", text="Đọc trực tiếp")
    library, scheduler = _services(station_db, tmp_path)
    inbox = Inbox(station_db, library=library, scheduler=scheduler)
    worker = make_worker(station_db, sqlite_collector.url, token, inbox=inbox, idle_s=60, poll_wait_s=30,
                         media_dir=tmp_path / "inbox").start()
    try:
        assert wait_until(lambda: inbox.counts() == {"waiting": 3}, timeout=30)
        assert wait_until(lambda: all(sqlite_collector.receipts(SITE, i) == {"received": ""} for i in (1, 2, 3)))
        at = (scheduler.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
        scheduled = inbox.schedule(1, at, Targets(devices=("LOA-1",)))
        assert scheduled["state"] == "scheduled"
        spec = scheduler.get(scheduled["schedule_id"])
        assert spec.targets == Targets(devices=("LOA-1",)) and spec.rule.start == at
        inbox.reject(2, "Trùng với tin đã phát")
        inbox.read_out(3)
        assert wait_until(lambda: set(sqlite_collector.receipts(SITE, 1)) == {"received", "scheduled"}, timeout=10)
        assert wait_until(lambda: sqlite_collector.receipts(SITE, 2).get("rejected") == "Trùng với tin đã phát",
                          timeout=10)
        assert wait_until(lambda: "played" in sqlite_collector.receipts(SITE, 3), timeout=10)
        receipts = inbox.receipts([1, 2, 3])
        assert wait_until(lambda: all(r["sent_at"] for rs in inbox.receipts([1, 2, 3]).values() for r in rs))
        assert [r["status"] for r in receipts[2]] == ["received", "rejected"]
        assert inbox.unit_names(["21553", "99999"]) == {"21553": "Xã An Nhơn"}  # the unit in force
        assert inbox.devices_for(inbox.get(1)) is None  # no live service here
        sent = [(h["bulletin"], h["status"]) for h in worker.history() if h["kind"] == "receipt"]
        assert {(1, "scheduled"), (2, "rejected"), (3, "played")} <= set(sent)
    finally:
        worker.stop()


def test_sync_status_prints_the_history(tmp_path, capsys):
    data = tmp_path / "station"
    data.mkdir()
    settings = st.load(cli={"data_dir": str(data)}, env={})
    from console.store.db import open_database

    db = open_database(settings.db_url, seed=False)
    with db.sessions.begin() as s:
        outbox.set_paused(s, True)
    db.close()
    (data / "sync-history.json").write_text(json.dumps([{"ts": 1, "kind": "paused"}]), encoding="utf-8")
    assert cli.run(Namespace(sync_command="status", json=True), settings) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["paused"] is True and out["history"] == [{"ts": 1, "kind": "paused"}]
