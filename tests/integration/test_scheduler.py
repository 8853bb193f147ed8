"""The scheduler service on a real database (SQLite and PostgreSQL) with a real audio library."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import select

from console.audio.library import Library
from console.core.approval import Refused
from console.media.store import MediaStore
from console.schedule import compile as comp
from console.schedule.model import Part, Targets
from console.schedule.rules import Rule
from console.schedule.service import ConflictError, ScheduleError, Scheduler, ScheduleSpec
from console.store import repo
from console.store.db import open_database
from console.store.models import AdminUnit
from fixtures.audio import write_wav

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 4, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    """Devices in two communes of Gia Lai, two groups, two approved audio items (10 s and 20 s)."""
    tmp = tmp_path_factory.mktemp("sched")
    db = open_database(module_db_url)
    lib = Library(db, MediaStore(tmp / "media"), "an", "admin")
    with db.sessions.begin() as s:
        communes = s.scalars(select(AdminUnit).where(AdminUnit.level == "commune", AdminUnit.valid_to.is_(None),
                                                     AdminUnit.code.like("2%")).order_by(AdminUnit.code).limit(2)).all()
        province = s.get(AdminUnit, communes[0].parent_id)
        units = [c.code for c in communes]
        for i in range(6):
            repo.register_device(s, f"DEV-{i}", adoption="adopted", unit_id=communes[i % 2].id)
        repo.register_device(s, "PENDING-1")
    items = []
    for secs in (10, 20):
        t = np.arange(48000 * secs) / 48000
        wav = write_wav(tmp / f"tone{secs}.wav", (0.2 * np.sin(2 * np.pi * 330 * t)).astype(np.float32))
        [r] = lib.import_files([wav])
        lib.submit(r.id)
        lib.approve(r.id)
        items.append(r.id)
    sched = Scheduler(db, lib, "an", "admin", clock=NOW.timestamp)
    sched.set_group("east", devices=["DEV-0", "DEV-1", "DEV-2"])
    sched.set_group("west", devices=["DEV-3", "DEV-4", "DEV-5"])
    yield {"db": db, "lib": lib, "sched": sched, "items": items, "units": units, "province": province.code}
    db.close()


def spec(world, at: datetime, *, groups=("east",), units=(), devices=(), prio="normal", items=None,
         rule: Rule | None = None, title="Tin") -> ScheduleSpec:
    parts = tuple(Part("media", item_id=i) for i in (items or world["items"][:1]))
    return ScheduleSpec(title=title, rule=rule or Rule.once(at), targets=Targets(tuple(groups), tuple(units), tuple(devices)),
                        programme=parts, priority=prio)


def test_groups_by_devices_and_by_unit(world):
    sched = world["sched"]
    g = sched.set_group("commune-a", units=[world["units"][0]], name="Xã A")
    assert g["devices"] == ["DEV-0", "DEV-2", "DEV-4"]
    g = sched.set_group("province", units=[world["province"]])
    assert g["devices"] == [f"DEV-{i}" for i in range(6)]  # a province holds its communes' devices
    with pytest.raises(ScheduleError, match="not adopted"):
        sched.set_group("x", devices=["PENDING-1"])
    with pytest.raises(ScheduleError, match="no administrative unit"):
        sched.set_group("x", units=["99999"])
    with pytest.raises(ScheduleError, match="group id"):
        sched.set_group("u-77", devices=["DEV-0"])


def test_validation_says_what_is_wrong(world):
    sched = world["sched"]
    at = NOW + timedelta(hours=1)
    with pytest.raises(ScheduleError, match="where it plays"):
        sched.validate(spec(world, at, groups=()))
    with pytest.raises(ScheduleError, match="no group"):
        sched.validate(spec(world, at, groups=("nope",)))
    with pytest.raises(ScheduleError, match="live desk"):
        sched.validate(spec(world, at, prio="emergency"))
    bad_stream = ScheduleSpec("VOV", Rule.once(at), Targets(("east",)), (Part("stream", dur_ms=1000, url="ftp://x"),))
    with pytest.raises(ScheduleError, match="stream relay"):
        sched.validate(bad_stream)
    draft_item = world["lib"].import_files([world["lib"].store.path(world["lib"].get(world["items"][0]).source_sha256)])
    assert draft_item[0].existing  # same content: the existing (approved) item
    checked = sched.validate(spec(world, at, items=world["items"]))
    assert [p.dur_ms for p in checked.programme] == [10_000, 20_000] and checked.duration_ms == 30_000


def test_same_priority_overlap_is_a_conflict_naming_devices_and_times(world):
    sched = world["sched"]
    at = NOW + timedelta(days=3, hours=1)
    first = sched.add(spec(world, at, title="Sáng"))
    assert first.state == "approved"
    # 5 s later, on a commune that shares DEV-0 and DEV-2 with "east": refused, nothing saved.
    clash = spec(world, at + timedelta(seconds=5), groups=(), units=(world["units"][0],), title="Chiều")
    with pytest.raises(ConflictError) as e:
        sched.add(clash)
    [c] = e.value.conflicts
    assert {c.a.schedule_id, c.b.schedule_id} == {first.id, 0}
    assert c.devices == ("DEV-0", "DEV-2")
    assert c.start == at + timedelta(seconds=5) and c.end == at + timedelta(seconds=10)
    assert all(s.title != "Chiều" for s in sched.list())
    # Resolutions: move it after the first, or let the higher priority win by the declared rule.
    assert not sched.conflicts(spec(world, at + timedelta(seconds=10), groups=(), units=(world["units"][0],)))
    assert not sched.conflicts(spec(world, at + timedelta(seconds=5), groups=(), units=(world["units"][0],), prio="priority"))
    # A recurring rule conflicts where any of its airings does (here the 4th).
    daily = spec(world, at - timedelta(days=3), rule=Rule.daily(at - timedelta(days=3)), groups=("east",))
    assert [c.start for c in sched.conflicts(daily)] == [at]


def test_approval_flow_and_permissions(world):
    db, lib = world["db"], world["lib"]
    editor = Scheduler(db, lib, "binh", "editor", clock=NOW.timestamp)
    approver = Scheduler(db, lib, "chi", "approver", clock=NOW.timestamp)
    tech = Scheduler(db, lib, "dung", "technician", clock=NOW.timestamp)
    at = NOW + timedelta(days=20)
    s = editor.add(spec(world, at, groups=("west",)))
    assert s.state == "submitted"  # an editor may submit but not approve
    with pytest.raises(Refused):
        editor.approve(s.id)
    with pytest.raises(Refused):
        tech.save(spec(world, at))
    s = approver.approve(s.id, "ok")
    assert s.state == "approved"
    # Editing an approved schedule sends it back to draft.
    s = editor.save(ScheduleSpec(**{**s.__dict__, "title": "Tin (sửa)"}))
    assert s.state == "draft" and s.title == "Tin (sửa)"
    with pytest.raises(Refused, match="note"):
        approver.reject(editor.submit(s.id).id, "")
    actions = [h["action"] for h in approver.history(s.id)]
    assert actions == ["create", "submit", "approve", "edit", "submit"]


def test_plan_puts_items_in_group_and_implicit_groups(world):
    sched = world["sched"]
    at = datetime(2026, 12, 2, 5, 30, tzinfo=VN)
    s = sched.add(spec(world, at, groups=("west",), units=(world["units"][1],), devices=("DEV-0",),
                       items=world["items"], rule=Rule.daily(at, until=at + timedelta(days=30)), title="Sáng sớm"))
    refs = {i: comp.MediaRef("a" * 64, f"http://m/{i}.mp3", 1000, "mp3", 10_000 * (k + 1))
            for k, i in enumerate(world["items"])}
    start, end = sched.window(7)
    assert start == datetime(2026, 12, 1, 0, 0, tzinfo=VN) and end == datetime(2026, 12, 8, 0, 0, tzinfo=VN)
    plan = sched.plan(start, end, refs.__getitem__)
    unit_group, dev_group = comp.unit_group(world["units"][1]), comp.device_group("DEV-0")
    mine = [it for it in plan.items["west"] if it["id"].startswith(f"s{s.id}.")]
    assert len(mine) == 6 * 2  # 2 to 7 December, two parts each
    assert mine[0]["start"] == "2026-12-02T05:30:00+07:00" and mine[1]["start"] == "2026-12-02T05:30:10+07:00"
    assert [it["id"] for it in plan.items[unit_group]] == [it["id"] for it in mine]
    assert plan.items[dev_group] == mine
    assert {"east", dev_group} <= set(plan.configs["DEV-0"])
    assert unit_group in plan.configs["DEV-1"] and unit_group not in plan.configs["DEV-0"]
    # Standing groups: every device, itself, and its units up to the province (live and emergency use them).
    assert {"all", comp.device_group("DEV-1"), comp.unit_group(world["province"])} <= set(plan.configs["DEV-1"])
    assert "PENDING-1" not in plan.configs


class Clock:
    def __init__(self, t: datetime):
        self.t = t.timestamp()

    def __call__(self) -> float:
        return self.t


def test_dispatcher_publishes_only_changes_and_rolls_the_window(world):
    """The publish function is where MQTT would be (tests/integration/test_dispatch.py runs it on a real
    broker); here it records what would be sent."""
    from console.schedule.dispatch import Dispatcher

    clock = Clock(datetime(2027, 3, 1, 23, 0, tzinfo=VN))
    sched = Scheduler(world["db"], world["lib"], "an", "admin", clock=clock)
    sent: list[tuple[str, dict]] = []
    import json
    disp = Dispatcher(sched, "site", lambda t, p: sent.append((t, json.loads(p))) or True, "http://m/media",
                      render_options={"fmt": "mp3", "bitrate_k": 32})
    first = disp.publish()
    assert not first.failed and first.messages == len(sent)
    sent.clear()
    assert disp.publish().messages == 0 and not sent  # nothing changed
    # A daily programme at 05:30 for "west" from 2 March.
    at = datetime(2027, 3, 2, 5, 30, tzinfo=VN)
    s = sched.add(spec(world, at, groups=("west",), rule=Rule.daily(at), title="Bản tin 5h30"))
    result = disp.publish()
    assert result.groups == {"west": 2} and not result.configs  # one message: west's document
    [(topic, doc)] = sent
    assert topic == "tt/v1/site/g/west/sched" and doc["rev"] == 2
    assert doc["from"] == "2027-03-01T00:00:00+07:00" and doc["to"] == "2027-03-08T00:00:00+07:00"
    mine = [it for it in doc["items"] if it["id"].startswith(f"s{s.id}.")]
    assert [it["start"] for it in mine] == [f"2027-03-0{d}T05:30:00+07:00" for d in range(2, 8)]
    assert mine[0]["media"]["url"].startswith("http://m/media/") and mine[0]["media"]["url"].endswith(".mp3")
    # The next day the window rolls: 8 March comes in, 2 March stays until it is over (window from midnight).
    sent.clear()
    clock.t += 86400
    result = disp.publish()
    assert result.groups == {"west": 3}
    [(_, doc)] = sent
    starts = [it["start"][:10] for it in doc["items"] if it["id"].startswith(f"s{s.id}.")]
    assert starts[0] == "2027-03-02" and starts[-1] == "2027-03-08"
    # Archiving it empties the group's plan.
    sent.clear()
    sched.archive(s.id)
    assert disp.publish().groups == {"west": 4} and not [it for it in sent[0][1]["items"] if it["id"].startswith(f"s{s.id}.")]


def test_readiness_counts_devices_holding_every_file_and_alarms_before_air(world, caplog):
    from console.schedule.asrun import AsRun
    from console.store.models import MediaReadiness

    clock = Clock(datetime(2027, 6, 1, 8, 0, tzinfo=VN))
    sched = Scheduler(world["db"], world["lib"], "an", "admin", clock=clock)
    at = datetime(2027, 6, 1, 8, 20, tzinfo=VN)
    s = sched.add(spec(world, at, groups=("east",), items=world["items"], title="Tiêm chủng"))
    shas = [sched.distribution(i, fmt="mp3", bitrate_k=32)["sha256"] for i in world["items"]]
    with world["db"].sessions.begin() as ses:
        # DEV-0 holds both files, DEV-1 only the first, DEV-2 failed the second.
        for dev, sha, state in (("DEV-0", shas[0], "ready"), ("DEV-0", shas[1], "ready"), ("DEV-1", shas[0], "ready"),
                                ("DEV-2", shas[1], "failed")):
            ses.merge(MediaReadiness(device_id=dev, sha256=sha, state=state, reason="hash mismatch" if state == "failed" else "", ts=1))
    [u] = [u for u in sched.upcoming(at - timedelta(minutes=1), at + timedelta(minutes=1)) if u["schedule"] == s.id]
    assert (u["ready"], u["devices"], u["missing"], u["alarm"]) == (1, 3, ["DEV-1", "DEV-2"], True)
    assert sched.readiness([(shas[1], frozenset({"DEV-0", "DEV-1", "DEV-2"}))])[shas[1]]["failed"] == {"DEV-2": "hash mismatch"}
    asrun = AsRun(sched, alarm_min=30)
    with caplog.at_level("WARNING"):
        assert [a["schedule"] for a in asrun.check_readiness()] == [s.id]
        asrun.check_readiness()
    assert sum("Tiêm chủng" in r.message and "1 of 3" in r.message for r in caplog.records) == 1  # once
    clock.t -= 3600  # an hour earlier it is not yet an alarm
    assert not asrun.check_readiness()
    sched.archive(s.id)


def test_moving_keeps_an_approvers_schedule_approved_and_sends_an_editors_back(world):
    db, lib = world["db"], world["lib"]
    admin = world["sched"]
    editor = Scheduler(db, lib, "binh", "editor", clock=NOW.timestamp)
    at = datetime(2027, 9, 1, 6, 0, tzinfo=VN)
    s = admin.add(spec(world, at, groups=("west",), title="Dời giờ"))
    moved = admin.move(s.id, Rule.once(at + timedelta(minutes=30)))
    assert moved.state == "approved" and moved.rule.start == at + timedelta(minutes=30)
    moved = editor.move(s.id, Rule.once(at + timedelta(minutes=45)))
    assert moved.state == "submitted"
    other = admin.add(spec(world, at + timedelta(hours=2), groups=("west",), title="Khác"))
    with pytest.raises(ConflictError):
        admin.move(other.id, Rule.once(at + timedelta(minutes=45)))
    assert admin.get(other.id).rule.start == at + timedelta(hours=2)  # nothing saved
    assert [h["action"] for h in admin.history(s.id)][-2:] == ["move", "move"]
    for x in (s, other):
        admin.archive(x.id)
