"""Storage on real databases (a SQLite file and a PostgreSQL server): migrations, seeding of the
administrative units, repositories, and the single writer under failure."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text

from console.core.hierarchy import Hierarchy
from console.store import repo
from console.store.db import StoreError, alembic_config, make_engine, migrate, open_database
from console.store.models import AdminUnit, AdminUnitSuccessor, Base, Device, DeviceEvent
from console.store.writer import DbWriter

BEFORE, AFTER = date(2025, 1, 1), date(2026, 1, 1)
VIETNAM_BBOX = (8.0, 24.0, 102.0, 118.0)  # lat, lat, lon, lon; with the Paracel and Spratly islands


@pytest.fixture(scope="module")
def db(module_db_url):
    """One migrated and seeded database per kind for the module (seeding takes ~1-2 s)."""
    started = time.perf_counter()
    database = open_database(module_db_url)
    print(f"\n{database.dialect}: migrated and seeded in {time.perf_counter() - started:.2f} s")
    yield database
    database.close()


@pytest.fixture
def writer(db):
    w = DbWriter(db, retry_max_s=0.2).start()
    yield w
    assert w.stop()


def count(session, *where):
    return session.scalar(select(func.count()).select_from(AdminUnit).where(*where))


# -- migrations --------------------------------------------------------------------------------


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrate_from_empty_then_again_is_a_no_op(db_url):
    engine = make_engine(db_url)
    try:
        assert inspect(engine).get_table_names() == []
        migrate(engine)
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
            # The migrations build exactly what the models describe.
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata) == []
        tables = set(inspect(engine).get_table_names())
        assert {"admin_units", "admin_unit_successors", "devices", "groups", "device_groups",
                "device_events", "outbox", "alembic_version"} <= tables
        migrate(engine)
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        assert set(inspect(engine).get_table_names()) == tables
        with engine.begin() as conn:  # the migration also goes down cleanly
            command.downgrade(alembic_config(conn), "base")
        assert inspect(engine).get_table_names() == ["alembic_version"]
    finally:
        engine.dispose()


def test_a_schema_newer_than_the_code_is_a_store_error(sqlite_url):
    engine = make_engine(sqlite_url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(StoreError, match="9999"):
            open_database(sqlite_url)
    finally:
        engine.dispose()


def test_open_database_again_does_not_seed_twice(db, module_db_url, monkeypatch):
    with db.sessions() as s:
        before = count(s)
    import console.store.db as store_db

    monkeypatch.setattr(store_db, "seed_admin_units", lambda *_: pytest.fail("seeded a seeded database"))
    again = open_database(module_db_url)
    try:
        with again.sessions() as s:
            assert count(s) == before
    finally:
        again.close()


def test_sqlite_runs_in_wal_mode_with_the_pragmas(sqlite_url):
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 1  # NORMAL
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == 5000
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", [
    "not a url",
    "mysql://user@host/db",
    "postgresql+psycopg://tt:tt@127.0.0.1:1/nothing",  # nothing listens on port 1
    "sqlite:////proc/no/such/dir/console.db",
])
def test_unusable_urls_raise_a_one_line_store_error(url):
    with pytest.raises(StoreError) as raised:
        open_database(url)
    message = str(raised.value)
    assert message and "\n" not in message
    # No chained driver traceback behind it.
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None or raised.value.__suppress_context__


# -- administrative units ----------------------------------------------------------------------


def test_seeding_gives_both_code_sets(db):
    with db.sessions() as s:
        after = AdminUnit.valid_from == date(2025, 7, 1)
        before = AdminUnit.valid_to == date(2025, 7, 1)
        assert count(s, after, AdminUnit.level == "province") == 34
        assert count(s, after, AdminUnit.level == "commune") == 3321
        assert count(s, after, AdminUnit.level == "district") == 0
        assert count(s, before, AdminUnit.level == "province") == 63
        assert count(s, before, AdminUnit.level == "district") == 696
        assert count(s, before, AdminUnit.level == "commune") == 10035
        assert count(s) == 34 + 3321 + 63 + 696 + 10035
        assert count(s, AdminUnit.level != "province", AdminUnit.parent_id.is_(None)) == 0
        # Every pre-2025 unit below the province level has a successor.
        orphans = select(AdminUnit.id).where(before, AdminUnit.level != "province").except_(
            select(AdminUnitSuccessor.old_id))
        assert set(s.scalars(orphans)) == set(s.scalars(
            select(AdminUnit.id).where(before, AdminUnit.level == "district",
                                       AdminUnit.code.not_in(["318", "471", "498", "536", "755"]))))


def test_every_centroid_is_in_vietnam(db):
    lat0, lat1, lon0, lon1 = VIETNAM_BBOX
    with db.sessions() as s:
        ba_dinh = repo.unit_by_code(s, "00004", at=AFTER)
        assert [(u.name, u.level) for u in ba_dinh] == [("Phường Ba Đình", "commune")]
        assert lat0 < ba_dinh[0].lat < lat1 and lon0 < ba_dinh[0].lon < lon1
        assert 21.0 < ba_dinh[0].lat < 21.1 and 105.8 < ba_dinh[0].lon < 105.9  # central Hà Nội
        assert count(s, AdminUnit.lat.is_(None)) == 0
        outside = count(s, (AdminUnit.lat < lat0) | (AdminUnit.lat > lat1)
                        | (AdminUnit.lon < lon0) | (AdminUnit.lon > lon1))
        assert outside == 0


def test_unit_by_code_resolves_old_codes_to_successors(db):
    with db.sessions() as s:
        names = lambda code, at, **kw: [u.name for u in repo.unit_by_code(s, code, at=at, **kw)]  # noqa: E731
        # 00004 exists in both sets: Trúc Bạch before the reform, Ba Đình (new ward) after.
        assert names("00004", BEFORE) == ["Phường Trúc Bạch"]
        assert names("00004", AFTER) == ["Phường Ba Đình"]
        # Phúc Xá (00001) merged into Hồng Hà; Hải Dương province (30) into Hải Phòng.
        assert names("00001", AFTER) == ["Phường Hồng Hà"]
        assert names("30", AFTER) == ["Thành phố Hải Phòng"]
        assert names("30", BEFORE) == ["Tỉnh Hải Dương"]
        # Island district Côn Đảo (755) became a special zone of Hồ Chí Minh City.
        assert names("755", AFTER) == ["Đặc khu Côn Đảo"]
        # Điện Biên ward (00019) was split: several successors, the package's default first.
        split = repo.unit_by_code(s, "00019", at=AFTER)
        assert len(split) > 1
        default = s.scalar(select(AdminUnitSuccessor.new_id).join(
            AdminUnit, AdminUnit.id == AdminUnitSuccessor.old_id).where(
            AdminUnit.code == "00019", AdminUnitSuccessor.is_default))
        assert split[0].id == default
        assert names("99999", AFTER) == []
        assert names("00004", AFTER, level="province") == []
        assert [u.level for u in repo.unit_by_code(s, "01")] == ["province"]  # today


def test_load_units_builds_the_tree(db):
    with db.sessions() as s:
        now, then, both = repo.load_units(s, at=AFTER), repo.load_units(s, at=BEFORE), repo.load_units(s)
    assert len(now) == 34 + 3321 and len(then) == 63 + 696 + 10035 and len(both) == len(now) + len(then)
    tree = Hierarchy(now)
    assert len(tree.roots()) == 34
    hanoi = tree.search("ha noi", level="province")[0]
    ba_dinh = tree.search("ba dinh", level="commune")[0]
    assert hanoi.name == "Thành phố Hà Nội" and ba_dinh.name == "Phường Ba Đình"
    assert tree.contains(hanoi.id, ba_dinh.id)
    assert sum(1 for _ in tree.descendants(hanoi.id)) == 126  # Hà Nội's wards and communes since 2025
    old_tree = Hierarchy(both).at(BEFORE)
    truc_bach = old_tree.search("truc bach")[0]
    assert [u.level for u in old_tree.path(truc_bach.id)] == ["province", "district", "commune"]


# -- devices, groups, events -------------------------------------------------------------------


def test_device_and_group_crud(db):
    with db.sessions.begin() as s:
        ba_dinh = repo.unit_by_code(s, "00004", at=AFTER)[0]
        repo.register_device(s, "crud-1", name="Loa chợ")
        repo.register_device(s, "crud-2")
        with pytest.raises(ValueError):
            repo.register_device(s, "crud-1")
        repo.create_group(s, "crud-all", "Tất cả")
        repo.create_group(s, "crud-north", "Miền Bắc", "north")
        with pytest.raises(ValueError):
            repo.create_group(s, "crud-all", "again")
        repo.update_group(s, "crud-north", description="Bắc Bộ")

        device = repo.adopt_device(s, "crud-1", unit_id=ba_dinh.id)
        assert (device.adoption, device.name, device.unit_id) == ("adopted", "Loa chợ", ba_dinh.id)
        assert (device.lat, device.lon) == (ba_dinh.lat, ba_dinh.lon)  # placed at the centroid
        device = repo.adopt_device(s, "crud-2", name="Cụm 2", lat=21.01, lon=105.81)
        assert (device.lat, device.lon) == (21.01, 105.81)
        assert repo.retire_device(s, "crud-2").adoption == "retired"
        with pytest.raises(KeyError):
            repo.adopt_device(s, "no-such-device")
        with pytest.raises(KeyError):
            repo.adopt_device(s, "crud-1", unit_id=-1)

        assert [g.id for g in repo.set_device_groups(s, "crud-1", ["crud-north", "crud-all"]).groups] == [
            "crud-all", "crud-north"]
        with pytest.raises(KeyError):
            repo.set_device_groups(s, "crud-1", ["crud-all", "no-such-group"])
    with db.sessions.begin() as s:
        assert [g.id for g in s.get(Device, "crud-1").groups] == ["crud-all", "crud-north"]
        assert {d.id for d in repo.list_devices(s)} >= {"crud-1", "crud-2"}
        assert "crud-2" in {d.id for d in repo.list_devices(s, adoption="retired")}
        assert "crud-1" not in {d.id for d in repo.pending_devices(s)}
        assert {g.id: g.description for g in repo.list_groups(s)}["crud-north"] == "Bắc Bộ"
        repo.delete_group(s, "crud-north")
        with pytest.raises(KeyError):
            repo.delete_group(s, "crud-north")
    with db.sessions() as s:
        assert [g.id for g in s.get(Device, "crud-1").groups] == ["crud-all"]


def test_device_events_are_idempotent_by_device_and_seq(db):
    event = {"device_id": "idem-1", "seq": 7, "ts": 1_000, "type": "play.started", "data": {"item": "a"}}
    with db.sessions.begin() as s:
        repo.add_events(s, [event, dict(event, ts=1_001)])  # a duplicate in the same batch
    with db.sessions.begin() as s:
        repo.add_events(s, [event])  # redelivered later
        console_event = {"device_id": "idem-1", "seq": None, "ts": 2_000, "type": "offline",
                         "data": {}, "source": "console"}
        repo.add_events(s, [console_event, console_event])  # no seq: each is a new fact
    with db.sessions() as s:
        rows = repo.recent_events(s, "idem-1")
        assert [(e.seq, e.ts, e.type, e.source) for e in rows] == [
            (None, 2_000, "offline", "console"), (None, 2_000, "offline", "console"),
            (7, 1_000, "play.started", "device")]
        assert rows[-1].data == {"item": "a"}
        assert s.get(Device, "idem-1").adoption == "pending"  # created by its first event
        assert len(repo.recent_events(s, "idem-1", limit=1)) == 1


# -- the single writer ---------------------------------------------------------------------------


def hold(writer):
    """Block the writer thread until the returned event is set, so that what is submitted
    meanwhile lands in one batch."""
    release, holding = threading.Event(), threading.Event()
    writer.call(lambda s: (holding.set(), release.wait(10)))
    assert holding.wait(5)
    return release


def test_writer_creates_pending_devices_and_coalesces(db, writer):
    release = hold(writer)
    for i in range(1000):
        writer.device_seen("w-1", 10_000 + i, fw=f"1.0.{i}")
    writer.device_seen("w-2", 5_000, model="TT-4G", lat=16.0, lon=108.2)
    writer.device_seen("w-1", 9_000)  # an older message: must not move last_seen back
    writer.add_events([{"device_id": "w-2", "seq": 1, "ts": 5_000, "type": "fault.raised",
                        "data": {"fault": "amp"}}])
    release.set()
    assert writer.flush(10)
    stats = writer.stats()
    assert (stats["sightings"], stats["events"], stats["retries"], stats["rejected"]) == (2, 1, 0, 0)
    with db.sessions() as s:
        w1, w2 = s.get(Device, "w-1"), s.get(Device, "w-2")
        assert (w1.adoption, w1.first_seen, w1.last_seen, w1.fw) == ("pending", 9_000, 10_999, "1.0.999")
        assert (w2.model, w2.lat, w2.lon, w2.fw) == ("TT-4G", 16.0, 108.2, None)
        assert [e.type for e in repo.recent_events(s, "w-2")] == ["fault.raised"]

    writer.device_seen("w-1", 20_000, model="TT-1")
    writer.device_seen("w-1", 15_000)
    adopted = writer.call(lambda s: repo.adopt_device(s, "w-1", name="Cụm chợ")).result(10)
    assert adopted.adoption == "adopted" and adopted.last_seen == 20_000 and adopted.fw == "1.0.999"
    failed = writer.call(lambda s: repo.adopt_device(s, "w-unknown"))
    assert isinstance(failed.exception(10), KeyError)
    with db.sessions() as s:
        assert s.get(Device, "w-1").name == "Cụm chợ"


def test_writer_rejects_only_the_bad_rows(db, writer):
    good = [{"device_id": "w-bad", "seq": i, "ts": i, "type": "play.finished", "data": {}} for i in range(10)]
    release = hold(writer)
    writer.add_events(good[:5])
    writer.add_events([{"device_id": "w-bad", "seq": 100, "ts": 1, "type": "x", "data": {}, "source": "nope"}])
    writer.add_events([{"device_id": "w-bad", "seq": 101, "type": "no ts"}])
    writer.add_events(good[5:])
    release.set()
    assert writer.flush(10)
    assert writer.stats()["rejected"] == 2 and writer.stats()["events"] == 10
    with db.sessions() as s:
        assert sorted(e.seq for e in repo.recent_events(s, "w-bad")) == list(range(10))


def test_writer_keeps_the_batch_through_a_failure_and_recovers(db_url):
    database = open_database(db_url, seed=False)
    writer = DbWriter(database, retry_max_s=0.2).start()
    events_table = Base.metadata.tables["device_events"]
    try:
        writer.device_seen("f-1", 1_000)
        assert writer.flush(10)
        events_table.drop(database.engine)  # every write of events now fails
        writer.device_seen("f-1", 2_000)
        writer.add_events([{"device_id": "f-1", "seq": i, "ts": 2_000 + i, "type": "play.started",
                            "data": {}} for i in range(50)])
        assert not writer.flush(1.0)  # it cannot finish while the table is missing
        stats = writer.stats()
        assert stats["retries"] >= 2 and stats["last_error"] and stats["events"] == 0
        events_table.create(database.engine)  # the database is back
        assert writer.flush(10)
        stats = writer.stats()
        assert stats["events"] == 50 and stats["rejected"] == 0 and stats["lost"] == 0
        with database.sessions() as s:
            assert s.scalar(select(func.count()).select_from(DeviceEvent)) == 50
            assert s.get(Device, "f-1").last_seen == 2_000
    finally:
        assert writer.stop()
        database.close()
    with pytest.raises(RuntimeError):
        writer.device_seen("f-1", 3_000)


def test_writer_stop_gives_up_after_its_timeout_and_counts_the_loss(sqlite_url):
    database = open_database(sqlite_url, seed=False)
    writer = DbWriter(database, retry_max_s=0.1).start()
    try:
        Base.metadata.tables["device_events"].drop(database.engine)
        writer.add_events([{"device_id": "s-1", "seq": 1, "ts": 1, "type": "online", "data": {}}])
        started = time.perf_counter()
        assert not writer.stop(timeout=0.5)
        assert time.perf_counter() - started < 3
        assert writer.stats()["lost"] == 1
    finally:
        database.close()
