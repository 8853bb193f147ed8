"""The station's outbox on SQLite and PostgreSQL: gap-free seqs, the facts that write to it in their own
transaction (device events, library and schedule changes with their audit chain), the inventory."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import select, text

from console.store.db import alembic_config, make_engine, open_database
from console.store.models import OutboxEntry, OutboxHead, digest, now_ms
from console.store.writer import DbWriter
from console.sync import outbox


@pytest.fixture
def db(db_url):
    database = open_database(db_url, seed=False)
    yield database
    database.close()


def entries(db) -> list[OutboxEntry]:
    with db.sessions() as s:
        return list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def test_seq_has_no_gaps_when_transactions_roll_back_or_run_at_once(db):
    with db.sessions.begin() as s:
        s.add(OutboxEntry(type="alarm", ts=1, data={"n": 1}))
    with pytest.raises(RuntimeError), db.sessions.begin() as s:
        s.add(OutboxEntry(type="alarm", ts=2, data={"n": "rolled back"}))
        s.flush()
        raise RuntimeError("the fact failed, so its record goes too")
    errors = []

    def write(k: int) -> None:  # several writers at once (the CLI beside a running console)
        try:
            for i in range(20):
                with db.sessions.begin() as s:
                    s.add_all(OutboxEntry(type="asrun", ts=3, data={"k": k, "i": i, "j": j}) for j in range(3))
        except Exception as e:  # noqa: BLE001
            errors.append(e)
    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = [e.seq for e in entries(db)]
    assert seqs == list(range(1, 242))
    with db.sessions() as s:
        assert outbox.last_seq(s) == 241


def test_device_events_of_presence_and_faults_go_to_the_outbox_once(db):
    writer = DbWriter(db).start()
    events = [{"device_id": "LOA-1", "seq": None, "ts": 10, "type": "online", "data": {"session": 1}, "source": "console"},
              {"device_id": "LOA-1", "seq": 7, "ts": 11, "type": "fault.raised", "data": {"fault": "amp"}},
              {"device_id": "LOA-1", "seq": 8, "ts": 12, "type": "play.started", "data": {"item": "x"}},
              {"device_id": "LOA-2", "seq": None, "ts": 13, "type": "offline", "data": {"reason": "lost"}, "source": "console"}]
    writer.add_events(events)
    writer.add_events([events[1]])  # redelivered by the broker: stored once, logged once
    assert writer.flush(10)
    writer.stop()
    got = [(e.type, e.data["device"], e.data["kind"], e.data["detail"]) for e in entries(db)]
    assert got == [("device_event", "LOA-1", "online", {"session": 1}),
                   ("device_event", "LOA-1", "fault.raised", {"fault": "amp"}),
                   ("device_event", "LOA-2", "offline", {"reason": "lost"})]


def test_library_and_schedule_changes_write_content_schedule_and_a_hash_chained_audit(db, tmp_path, audio_files):
    from console.audio.library import Library
    from console.media.store import MediaStore
    from console.schedule.model import Part, Targets
    from console.schedule.rules import Rule
    from console.schedule.service import Scheduler, ScheduleSpec

    lib = Library(db, MediaStore(tmp_path / "media"), "lan", "admin")
    item = lib.import_files([audio_files["wav"]])[0].id
    lib.update_metadata(item, title="Bản tin sáng")
    lib.submit(item)
    lib.approve(item)
    sched = Scheduler(db, lib, "lan", "admin")
    start = sched.now().replace(microsecond=0) + timedelta(days=1)
    sched.add(ScheduleSpec("Bản tin sáng", Rule.once(start), Targets(groups=("all",)), (Part("media", item_id=item),)))

    rows = entries(db)
    kinds = [e.type for e in rows]
    assert kinds.count("content") == 4 and kinds.count("schedule") == 3  # import, edit, submit, approve; create, submit, approve
    audits = [e.data for e in rows if e.type == "audit"]
    assert len(audits) == 7
    prev = ""
    for a in audits:  # each names the one before, and its hash covers everything but itself
        assert a["prev"] == prev
        assert a["hash"] == digest({k: v for k, v in a.items() if k != "hash"})
        prev = a["hash"]
    assert audits[0]["before"] is None and audits[0]["object"] == f"content:{item}"
    assert [a["before"] for a in audits[1:4]] == [a["after"] for a in audits[0:3]]  # one object, one after another
    edit = next(e.data for e in rows if e.type == "content" and e.data["action"] == "edit")
    assert (edit["user"], edit["content"]["title"], edit["from"], edit["to"]) == ("lan", "Bản tin sáng", "draft", "draft")
    with db.sessions() as s:
        assert s.get(OutboxHead, 1).audit_hash == prev
    # tampering shows: change one audit record and the chain no longer verifies
    audits[2]["user"] = "someone else"
    assert audits[2]["hash"] != digest({k: v for k, v in audits[2].items() if k != "hash"})


def test_an_inventory_record_when_the_devices_change_or_daily(db):
    from console.store import repo

    with db.sessions.begin() as s:
        repo.register_device(s, "LOA-1")
        assert outbox.maybe_inventory(s)
    with db.sessions.begin() as s:
        assert not outbox.maybe_inventory(s)  # nothing changed
        repo.register_device(s, "LOA-2")
        s.flush()
        assert outbox.maybe_inventory(s)
    with db.sessions.begin() as s:
        assert outbox.maybe_inventory(s, every_ms=0)  # a day later
    inv = [e.data for e in entries(db) if e.type == "inventory"]
    assert [[d["id"] for d in i["devices"]] for i in inv] == [["LOA-1"], ["LOA-1", "LOA-2"], ["LOA-1", "LOA-2"]]
    assert set(inv[0]["devices"][0]) >= {"id", "unit", "lat", "lon", "fw", "groups"}


def test_the_migration_renumbers_an_outbox_with_gaps(db_url):
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0004")
            for seq in (3, 8, 9, 20):  # an autoincrement key after rolled back transactions
                conn.execute(text("INSERT INTO outbox (seq, type, ts, data, created_at) "
                                  "VALUES (:s, 'asrun', :s, '{}', 0)"), {"s": seq})
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    finally:
        engine.dispose()
    database = open_database(db_url, seed=False)
    try:
        assert [(e.seq, e.ts) for e in entries(database)] == [(1, 3), (2, 8), (3, 9), (4, 20)]
        with database.sessions.begin() as s:
            s.add(OutboxEntry(type="alarm", ts=now_ms(), data={}))
        assert [e.seq for e in entries(database)] == [1, 2, 3, 4, 5]
    finally:
        database.close()


def test_read_batch_stops_at_the_size_limit_and_reports_the_head(db):
    with db.sessions.begin() as s:
        outbox.append(s, [("asrun", 1, {"pad": "x" * 1000})] * 10)
    with db.sessions() as s:
        batch, head = outbox.read_batch(s, 2, max_records=100, max_bytes=3500)
    assert [r["seq"] for r in batch] == [3, 4, 5] and head == 10
    with db.sessions() as s:
        big, _ = outbox.read_batch(s, 0, max_records=100, max_bytes=10)  # one record goes alone
    assert [r["seq"] for r in big] == [1]
