"""The station's sync worker against the reference collector on loopback: every record arrives once,
whatever fails in between, and bulletins reach the inbox with their receipts going back."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from fixtures.waiting import wait_until
from provhelpers import add_records, province, station_records
from sqlalchemy import delete, event, select, update

from console.province import store
from console.province.models import MediaFile, Record, Station
from console.store.db import open_database
from console.store.models import InboxBulletin, Schedule, now_ms
from console.sync import outbox
from console.sync.inbox import Inbox
from console.sync.worker import Backoff, SyncWorker

ROOT = Path(__file__).resolve().parents[2]


def make_worker(db, url: str, token: str, station: str = "st", timeout_s: float = 5.0, **kw) -> SyncWorker:
    return SyncWorker(db, province(url, station, token, timeout_s=timeout_s), backoff=lambda: Backoff(0.01, 0.2),
                      idle_s=0.05, poll_wait_s=0.5, **kw)


def test_records_arrive_exactly_once(collector, station_db):
    token = collector.token("st")
    add_records(station_db, 2500)
    worker = make_worker(station_db, collector.url, token).start()
    try:
        assert wait_until(lambda: collector.count("st") == 2501)  # and the inventory
        add_records(station_db, 700)  # written while the worker runs
        assert wait_until(lambda: collector.records("st") == station_records(station_db))
        assert wait_until(lambda: worker.status().acked_through == 3201)  # the acknowledgement is recorded
        status = worker.status()
        assert (status.backlog, status.last_seq, status.last_error) == (0, 3201, "")
        assert [h["acked_through"] for h in worker.history() if h["kind"] == "batch"] == [1000, 2000, 2500, 2501, 3201]
    finally:
        worker.stop()


def test_faults_lose_and_duplicate_nothing(collector, station_db, proxy_for):
    """500s, a timeout after the collector stored the batch, a connection dropped after it stored it,
    a connection dropped half-way through the upload, and a restart of the collector."""
    token = collector.token("st")
    add_records(station_db, 3000)
    proxy = proxy_for(collector.url, hold_s=2.0)
    faults = ["500", "timeout", "drop", "half", "500", "drop", "timeout"]
    proxy.faults.extend(faults)
    worker = make_worker(station_db, proxy.url, token, timeout_s=0.5, batch_records=400).start()
    try:
        assert wait_until(lambda: collector.count("st") >= 3000, timeout=60)
        assert proxy.seen[:len(faults)] == faults
        collector.restart()  # with its database, on the same port; the worker carries on
        add_records(station_db, 500)
        assert wait_until(lambda: collector.records("st") == station_records(station_db), timeout=60)
        assert wait_until(lambda: worker.status().last_error == "" and worker.status().backlog == 0)
    finally:
        worker.stop()
    with collector.db.sessions() as s:
        assert s.scalar(select(Station.backlog).where(Station.id == "st")) == 0


def test_station_killed_in_the_middle_of_a_batch(sqlite_collector, tmp_path, proxy_for):
    """kill -9 of ``sync run`` while a batch is stored at the province but unanswered: the next run
    asks for the cursor and ships the rest, each record once."""
    data = tmp_path / "station"
    db = open_database(f"sqlite:///{data / 'console.db'}", seed=False)
    add_records(db, 3000)
    token = sqlite_collector.token("st")
    proxy = proxy_for(sqlite_collector.url)
    proxy.faults.append("hold")
    env = {**os.environ, "TT_DATA_DIR": str(data)}
    base = [sys.executable, "-m", "console", "sync", "run", "--token", token, "--station", "st", "--data-dir", str(data)]
    proc = subprocess.Popen([*base, "--province", proxy.url], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert wait_until(proxy.holding.is_set, timeout=60), proc.stderr.read1().decode() if proc.poll() else ""
        assert sqlite_collector.count("st") == 1000  # stored; the station has not heard
        proc.kill()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
    proxy.release.set()
    done = subprocess.run([*base, "--province", sqlite_collector.url, "--once", "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"shipped": 2001, "acked_through": 3001, "backlog": 0,
                                                        "bulletins": 0}
    assert sqlite_collector.records("st") == station_records(db)
    db.close()


def test_a_backlog_of_100000_records_drains_in_order(sqlite_collector, station_db):
    token = sqlite_collector.token("st")
    add_records(station_db, 100_000)
    worker = make_worker(station_db, sqlite_collector.url, token)
    result = asyncio.run(worker.drain())
    assert result == {"shipped": 100_001, "acked_through": 100_001, "backlog": 0, "bulletins": 0}
    acks = [h["acked_through"] for h in worker.history() if h["kind"] == "batch"]
    assert acks == sorted(acks) and len(acks) == len(set(acks)) and acks[-1] == 100_001
    with sqlite_collector.db.sessions() as s:
        arrival = s.scalars(select(Record.received_at).where(Record.station_id == "st").order_by(Record.seq)).all()
    assert arrival == sorted(arrival)  # stored in seq order
    assert sqlite_collector.records("st") == station_records(station_db)


def test_a_gap_answer_resends_from_the_seq_the_province_expects(collector, station_db, caplog):
    token = collector.token("st")
    add_records(station_db, 100)
    worker = make_worker(station_db, collector.url, token)
    assert asyncio.run(worker.drain())["acked_through"] == 101
    with collector.db.sessions.begin() as s:  # the province went back to an older backup
        s.execute(delete(Record).where(Record.station_id == "st", Record.seq > 60))
        s.execute(update(Station).where(Station.id == "st").values(acked_through=60))
    add_records(station_db, 10)
    with caplog.at_level(logging.WARNING, logger="console.sync.worker"):
        assert asyncio.run(worker.drain())["acked_through"] == 111
    assert "resending from 61" in caplog.text
    assert collector.records("st") == station_records(station_db)


def test_a_station_database_behind_the_province_is_reported_not_shipped(collector, station_db):
    token = collector.token("st")
    with collector.db.sessions.begin() as s:
        s.execute(update(Station).where(Station.id == "st").values(acked_through=500))
    add_records(station_db, 10)
    worker = make_worker(station_db, collector.url, token)
    try:
        asyncio.run(worker.drain())
    except Exception as e:  # noqa: BLE001
        assert "holds records up to 500" in str(e)
    else:
        raise AssertionError("shipped into the province's numbers")
    assert "holds records up to 500" in worker.status().last_error


# -- bulletins ------------------------------------------------------------------------------------

def _station_services(db, tmp_path):
    from console.audio.library import Library
    from console.media.store import MediaStore
    from console.schedule.service import Scheduler

    library = Library(db, MediaStore(tmp_path / "media"), "operator", "admin")
    return library, Scheduler(db, library, "operator", "admin")


def test_bulletins_reach_the_inbox_and_their_receipts_come_back(collector, station_db, audio_files, tmp_path):
    token = collector.token("st")
    library, scheduler = _station_services(station_db, tmp_path)
    notices = []
    inbox = Inbox(station_db, library=library, scheduler=scheduler, on_change=lambda state, b: notices.append((state, b["id"])))
    with collector.db.sessions.begin() as s:
        store.send_bulletin(s, "st", "normal", "Lịch tiêm chủng", text="Thứ Hai tại trạm y tế xã.")
        store.send_bulletin(s, "st", "priority", "Cảnh báo nắng nóng", media=audio_files["wav"])
        store.send_bulletin(s, "st", "emergency", "Bão số 3", media=audio_files["mp3"], targets=["ALL-UNITS"])
    worker = make_worker(station_db, collector.url, token, inbox=inbox, media_dir=tmp_path / "inbox")
    assert asyncio.run(worker.drain())["bulletins"] == 3

    got = {b["id"]: b for b in inbox.list()}
    assert {i: b["state"] for i, b in got.items()} == {1: "waiting", 2: "scheduled", 3: "confirm"}
    assert ("scheduled", 2) in notices and ("confirm", 3) in notices
    with station_db.sessions() as s:  # the priority bulletin: a one-off, approved, priority, ~2 min ahead
        sched = s.get(Schedule, got[2]["schedule_id"])
        assert (sched.priority, sched.state, sched.rule.get("rrule")) == ("priority", "approved", None)
    assert library.get(got[3]["item_id"]).state == "approved"  # ready for the one-click confirmation
    with collector.db.sessions() as s:
        assert store.receipts(s, "st", 1) == {"received": ""}
        assert set(store.receipts(s, "st", 2)) == {"received", "scheduled"}
        assert set(store.receipts(s, "st", 3)) == {"received"}

    inbox.reject(1, "Không phù hợp với địa bàn")
    asyncio.run(worker.drain())
    with collector.db.sessions() as s:
        assert store.receipts(s, "st", 1)["rejected"] == "Không phù hợp với địa bàn"


def test_a_bulletin_sent_while_the_station_waits_arrives_by_long_poll(collector, station_db, tmp_path):
    token = collector.token("st")
    worker = make_worker(station_db, collector.url, token, media_dir=tmp_path / "inbox")
    worker.poll_wait_s = 30  # one long poll: the bulletin must wake it
    worker.start()
    try:
        assert wait_until(lambda: collector.count("st") == 1)  # running (its inventory arrived)
        with collector.db.sessions.begin() as s:
            store.send_bulletin(s, "st", "normal", "Thông báo", text="Họp dân 19h")
        assert wait_until(lambda: worker.inbox.counts() == {"waiting": 1})
        assert wait_until(lambda: collector.receipts("st", 1) == {"received": ""})
    finally:
        worker.stop()


def test_media_that_does_not_match_its_bulletin_is_rejected(collector, station_db, audio_files, tmp_path):
    token = collector.token("st")
    with collector.db.sessions.begin() as s:
        b = store.send_bulletin(s, "st", "priority", "Tin giả", media=audio_files["wav"])
        s.execute(update(MediaFile).where(MediaFile.sha256 == b["media"]["sha256"])
                  .values(data=b"x" * b["media"]["bytes"]))  # same size, other content
    library, scheduler = _station_services(station_db, tmp_path)
    inbox = Inbox(station_db, library=library, scheduler=scheduler)
    worker = make_worker(station_db, collector.url, token, inbox=inbox, media_dir=tmp_path / "inbox")
    asyncio.run(worker.drain())
    assert inbox.get(1)["state"] == "rejected"
    with collector.db.sessions() as s:
        assert "does not match" in store.receipts(s, "st", 1)["rejected"]
    assert library.list_items() == []
    assert not list((tmp_path / "inbox").glob("*"))
    with station_db.sessions() as s:
        assert s.scalar(select(InboxBulletin.note)).startswith("the media")


def test_pause_is_kept_across_restarts_and_resume_ships(collector, station_db):
    token = collector.token("st")
    add_records(station_db, 30)
    first = make_worker(station_db, collector.url, token)
    first.pause()
    assert first.status().paused
    again = make_worker(station_db, collector.url, token).start()  # a restart: still paused
    try:
        assert again.status().paused and again.status().backlog == 30
        again.sync_now()  # does not override a pause
        again.resume()
        assert wait_until(lambda: collector.records("st") == station_records(station_db))
        assert wait_until(lambda: again.backlog_by_type() == {})  # the acknowledgement is recorded
        assert not again.status().paused
    finally:
        again.stop()


def test_a_week_of_failures_still_retries_every_few_minutes():
    backoff = Backoff()  # the worker's own: 1 s doubling to 5 min, with jitter
    delays, waited = [], 0.0
    while waited < 7 * 86_400:
        delays.append(backoff.next())
        waited += delays[-1]
    assert max(delays) <= 300 and min(delays[20:]) >= 150  # never gives up, never hammers
    assert len(delays) > 2000


def test_the_province_down_for_a_week_then_back_gets_every_record(sqlite_collector, station_db):
    token = sqlite_collector.token("st")
    week_ago = now_ms() - 7 * 86_400_000
    with station_db.sessions.begin() as s:  # written a week ago, while the province was away
        outbox.append(s, [("alarm", week_ago + i * 60_000, {"n": i}) for i in range(300)])
    sqlite_collector.stop()
    worker = make_worker(station_db, sqlite_collector.url, token).start()
    try:
        assert wait_until(lambda: sum(h.get("count", 1) for h in worker.history() if h["kind"] == "error") >= 20)
        add_records(station_db, 500)  # and the station goes on writing
        assert wait_until(lambda: worker.status().backlog >= 800)
        sqlite_collector.start()  # back, on the same port
        assert wait_until(lambda: sqlite_collector.records("st") == station_records(station_db), timeout=60)
        assert wait_until(lambda: worker.status().backlog == 0 and worker.status().last_error == "")
    finally:
        worker.stop()


def test_a_full_station_disk_loses_nothing_once_there_is_room_again(collector, station_db, tmp_path):
    """SQLite's own "database or disk is full" (``max_page_count`` at the current size, on every
    connection): the worker says so and carries on; with room again every record arrives once and
    the bulletin is in the inbox once."""
    token = collector.token("st")  # station_db is SQLite
    add_records(station_db, 1500)
    full = {"on": True}

    @event.listens_for(station_db.engine, "connect")
    def limit(dbapi_conn, _record):
        if full["on"]:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    station_db.engine.dispose()  # every connection from now on is "full"
    with collector.db.sessions.begin() as s:
        store.send_bulletin(s, "st", "normal", "Thông báo", text="Họp dân 19h")
    worker = make_worker(station_db, collector.url, token, media_dir=tmp_path / "inbox").start()
    try:
        assert wait_until(lambda: "full" in worker.status().last_error)
        full["on"] = False
        station_db.engine.dispose()  # room again
        assert wait_until(lambda: worker.inbox.counts() == {"waiting": 1}, timeout=60)
        assert wait_until(lambda: collector.records("st") == station_records(station_db), timeout=60)
        assert wait_until(lambda: collector.receipts("st", 1) == {"received": ""})
    finally:
        worker.stop()
