"""The scheduler service: groups, schedules, approval, conflicts and plans (docs/scheduling.md).

Everything here is plain methods over the database; the permission checks live here, not in the
widgets. Writes go through the console's single DB writer when one is given. Slow callers (the GUI)
run these on a worker (console/ui/tasks.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from console.core import approval
from console.core.hierarchy import Hierarchy
from console.schedule import compile as comp
from console.schedule.conflicts import find_conflicts
from console.schedule.model import (
    DEFAULT_TZ, PART_KINDS, PRIORITIES, Conflict, Occurrence, Part, Targets,
)
from console.schedule.rules import Rule
from console.store import repo
from console.store.models import (
    AdminUnit, Device, Group, MediaItem, MediaReadiness, MediaRender, MediaRevision, Schedule,
    ScheduleHistory, device_groups, now_ms,
)

T = TypeVar("T")

CONFLICT_HORIZON_DAYS = 180  # conflicts are looked for this far ahead of now
MAX_PARTS = 50
MAX_STREAM_MS = 6 * 3600 * 1000
MAX_GAP_MS = 3600 * 1000
GROUP_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")
ALL_GROUP = "all"  # every device of the station


class ScheduleError(ValueError):
    """A schedule or group that cannot be saved or moved; the message is one sentence for the user."""


class ConflictError(ScheduleError):
    def __init__(self, conflicts: list[Conflict]):
        c = conflicts[0]
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        super().__init__(
            f"“{c.a.title}” and “{c.b.title}” overlap at {c.start:%Y-%m-%d %H:%M}–{c.end:%H:%M} on "
            f"{len(c.devices)} device(s) at the same priority{more}: move one, shorten it or raise its priority.")
        self.conflicts = conflicts


@dataclass(frozen=True)
class ScheduleSpec:
    """A schedule as the UI and CLI see it: what to play, when, where, at which level."""

    title: str
    rule: Rule
    targets: Targets
    programme: tuple[Part, ...]
    priority: str = "normal"
    vol: int | None = None
    notes: str = ""
    id: int | None = None
    state: str = "draft"
    created_by: str = ""
    updated_at: int = 0

    @property
    def duration_ms(self) -> int:
        return comp.programme_ms(self.programme)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "state": self.state, "priority": self.priority,
                "rule": self.rule.as_json(), "targets": self.targets.as_json(),
                "programme": [p.as_json() | {"dur_ms": p.dur_ms} for p in self.programme],
                "duration_ms": self.duration_ms, "vol": self.vol, "notes": self.notes,
                "created_by": self.created_by, "updated_at": self.updated_at}


def _spec(row: Schedule, parts: tuple[Part, ...] | None = None) -> ScheduleSpec:
    return ScheduleSpec(title=row.title, rule=Rule.from_json(row.rule), targets=Targets.from_json(row.targets),
                        programme=parts if parts is not None else tuple(Part.from_json(p) for p in row.programme),
                        priority=row.priority, vol=row.vol, notes=row.notes, id=row.id, state=row.state,
                        created_by=row.created_by, updated_at=row.updated_at)


@dataclass
class Membership:
    """Who is where, read once per operation: adopted devices, their units and explicit groups."""

    devices: dict[str, tuple[int | None, tuple[str, ...]]]
    groups: dict[str, set[str]]
    hierarchy: Hierarchy
    unit_ids: dict[str, frozenset[int]] = field(default_factory=dict)  # target code -> units under it

    def resolve_unit(self, session: Session, code: str) -> frozenset[int]:
        ids = self.unit_ids.get(code)
        if ids is None:
            roots = {u.id for u in repo.unit_by_code(session, code)}
            roots |= set(session.scalars(select(AdminUnit.id).where(AdminUnit.code == code)))
            found = set(roots)
            for uid in roots:
                found.update(u.id for u in self.hierarchy.descendants(uid))
            ids = self.unit_ids[code] = frozenset(found)
        return ids

    def in_unit(self, session: Session, code: str) -> set[str]:
        units = self.resolve_unit(session, code)
        return {dev for dev, (unit, _) in self.devices.items() if unit in units}

    def resolve(self, session: Session, targets: Targets) -> frozenset[str]:
        found: set[str] = set()
        for g in targets.groups:
            found |= self.groups.get(g, set())
        for code in targets.units:
            found |= self.in_unit(session, code)
        found.update(d for d in targets.devices if d in self.devices)
        return frozenset(found)


@dataclass
class Plan:
    """What the devices should hold for a window: items per group, groups per device."""

    start: datetime
    end: datetime
    items: dict[str, list[dict[str, Any]]]  # group id -> sched items
    configs: dict[str, list[str]]  # device id -> its groups (explicit and implicit)
    errors: list[str] = field(default_factory=list)  # schedules that could not be compiled, and why
    blocked: set[str] = field(default_factory=set)  # their groups: keep what the devices hold


class Scheduler:
    def __init__(self, db, library, user: str, role: str, *, writer=None, tz: str = DEFAULT_TZ,
                 clock: Callable[[], float] = time.time, on_change: Callable[[], None] | None = None) -> None:
        self._db = db
        self.library = library
        self.user = user
        self.role = role
        self._writer = writer
        self.tz = tz
        self.clock = clock
        self._hierarchy: Hierarchy | None = None
        self._on_change = on_change  # what the devices hold may have changed (the dispatcher republishes)

    # -- plumbing -------------------------------------------------------------------------------

    def _write(self, fn: Callable[[Session], T]) -> T:
        if self._writer is not None:
            return self._writer.call(fn).result()
        with self._db.sessions.begin() as session:
            return fn(session)

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()

    def _check(self, action: str) -> None:
        approval.check_permission(self.user, self.role, action)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), ZoneInfo(self.tz))

    def membership(self, session: Session) -> Membership:
        if self._hierarchy is None:
            self._hierarchy = Hierarchy(repo.load_units(session))
        devices = {dev: (unit, ()) for dev, unit in session.execute(
            select(Device.id, Device.unit_id).where(Device.adoption == "adopted"))}
        groups: dict[str, set[str]] = {g: set() for g in session.scalars(select(Group.id))}
        for dev, grp in session.execute(select(device_groups.c.device_id, device_groups.c.group_id)):
            if dev in devices:
                groups[grp].add(dev)
                unit, gs = devices[dev]
                devices[dev] = (unit, (*gs, grp))
        groups[ALL_GROUP] = set(devices)
        return Membership(devices, groups, self._hierarchy)

    # -- groups ---------------------------------------------------------------------------------

    def groups(self) -> list[dict[str, Any]]:
        with self._db.sessions() as session:
            m = self.membership(session)
            names = dict(session.execute(select(Group.id, Group.name)).all()) | {ALL_GROUP: "*"}
        return [{"id": g, "name": names[g], "devices": sorted(devs)} for g, devs in sorted(m.groups.items())]

    def set_group(self, group_id: str, devices: Iterable[str] = (), units: Iterable[str] = (),
                  name: str | None = None) -> dict[str, Any]:
        """Create or replace a group's membership: the devices listed plus every device in the units
        (at this moment; a schedule that targets a unit follows its devices as they move)."""
        self._check("edit")
        if not group_id or len(group_id) > 64 or not set(group_id) <= GROUP_ID_CHARS \
                or group_id.startswith(("u-", "d-")) or group_id == ALL_GROUP:
            raise ScheduleError(f"“{group_id}” is not a usable group id: use 1–64 lower-case letters, digits, "
                                "'-', '_' or '.', not “all” and not starting with 'u-' or 'd-' (those name "
                                "every device, units and single devices).")
        devices, units = list(devices), list(units)

        def apply(session: Session) -> dict[str, Any]:
            m = self.membership(session)
            unknown = [d for d in devices if d not in m.devices]
            if unknown:
                raise ScheduleError(f"Unknown or not adopted device(s): {', '.join(unknown[:5])}.")
            members = set(devices)
            for code in units:
                if not m.resolve_unit(session, code):
                    raise ScheduleError(f"There is no administrative unit with code {code}.")
                members |= m.in_unit(session, code)
            group = session.get(Group, group_id)
            if group is None:
                group = Group(id=group_id, name=name or group_id, description="")
                session.add(group)
            elif name:
                group.name = name
            session.flush()
            session.execute(delete(device_groups).where(device_groups.c.group_id == group_id))
            if members:
                session.execute(device_groups.insert(), [{"device_id": d, "group_id": group_id} for d in sorted(members)])
            return {"id": group_id, "name": group.name, "devices": sorted(members)}

        result = self._write(apply)
        self._changed()
        return result

    # -- schedules: reading ---------------------------------------------------------------------

    def list(self, states: Iterable[str] | None = None) -> list[ScheduleSpec]:
        query = select(Schedule).order_by(Schedule.id)
        if states is not None:
            query = query.where(Schedule.state.in_(list(states)))
        with self._db.sessions() as session:
            rows = list(session.scalars(query))
            return [self._with_durations(session, _spec(r)) for r in rows]

    def get(self, schedule_id: int) -> ScheduleSpec:
        with self._db.sessions() as session:
            return self._with_durations(session, _spec(self._row(session, schedule_id)))

    def history(self, schedule_id: int) -> list[dict[str, Any]]:
        with self._db.sessions() as session:
            rows = session.scalars(select(ScheduleHistory).where(ScheduleHistory.schedule_id == schedule_id)
                                   .order_by(ScheduleHistory.ts, ScheduleHistory.id))
            return [{"ts": h.ts, "user": h.user_name, "action": h.action, "from": h.from_state,
                     "to": h.to_state, "note": h.note} for h in rows]

    @staticmethod
    def _row(session: Session, schedule_id: int) -> Schedule:
        row = session.get(Schedule, schedule_id)
        if row is None:
            raise ScheduleError(f"There is no schedule {schedule_id}.")
        return row

    def _with_durations(self, session: Session, spec: ScheduleSpec, strict: bool = False) -> ScheduleSpec:
        """Fill in each media part's duration and title from the library; with ``strict``, refuse
        items that are missing or not approved."""
        parts = []
        for p in spec.programme:
            if p.kind == "media":
                item = session.get(MediaItem, p.item_id) if isinstance(p.item_id, int) else None
                if item is None:
                    if strict:
                        raise ScheduleError(f"There is no audio item {p.item_id}.")
                    parts.append(p)
                    continue
                if strict and not approval.schedulable(item.state):
                    raise ScheduleError(f"“{item.title}” is {item.state}: only approved audio can be scheduled.")
                rev = session.get(MediaRevision, item.current_revision_id)
                dur = item.duration_ms
                if rev is not None:
                    from console.core.editlist import EditList
                    el = EditList.from_json(rev.editlist)
                    dur = el.frames * 1000 // el.rate
                p = replace(p, dur_ms=dur, title=item.title)
            parts.append(p)
        return replace(spec, programme=tuple(parts))

    # -- schedules: checking --------------------------------------------------------------------

    def validate(self, spec: ScheduleSpec) -> ScheduleSpec:
        """The spec checked and completed (media durations); ScheduleError says what is wrong."""
        title = spec.title.strip()
        if not title or len(title) > 256:
            raise ScheduleError("A schedule needs a title (at most 256 characters).")
        if spec.priority not in PRIORITIES:
            raise ScheduleError(f"The priority of a scheduled item is one of {', '.join(PRIORITIES)}; "
                                "live and emergency broadcasts are started from the live desk.")
        if spec.vol is not None and not 0 <= spec.vol <= 100:
            raise ScheduleError("The volume is a percentage, 0 to 100.")
        if not spec.targets:
            raise ScheduleError("Choose where it plays: at least one group, administrative unit or device.")
        if not spec.programme or len(spec.programme) > MAX_PARTS:
            raise ScheduleError(f"A programme has 1 to {MAX_PARTS} parts.")
        for p in spec.programme:
            if p.kind not in PART_KINDS:
                raise ScheduleError(f"Unknown programme part {p.kind!r}.")
            if p.kind == "stream":
                if not (p.url or "").startswith(("http://", "https://", "rtsp://", "rtmp://", "srt://", "udp://")):
                    raise ScheduleError(f"A stream relay needs a URL (http, https, rtsp, rtmp, srt or udp), not {p.url!r}.")
                if not 0 < p.dur_ms <= MAX_STREAM_MS:
                    raise ScheduleError("A stream relay lasts more than 0 and at most 6 hours.")
            if p.kind == "gap" and not 0 < p.dur_ms <= MAX_GAP_MS:
                raise ScheduleError("A gap lasts more than 0 and at most 1 hour.")
        if all(p.kind == "gap" for p in spec.programme):
            raise ScheduleError("A programme of gaps only plays nothing.")
        try:
            spec.rule.validate()
        except ValueError as e:
            raise ScheduleError(str(e)) from None
        with self._db.sessions() as session:
            m = self.membership(session)
            for g in spec.targets.groups:
                if g not in m.groups:
                    raise ScheduleError(f"There is no group {g}.")
            for code in spec.targets.units:
                if not m.resolve_unit(session, code):
                    raise ScheduleError(f"There is no administrative unit with code {code}.")
            unknown = [d for d in spec.targets.devices if d not in m.devices]
            if unknown:
                raise ScheduleError(f"Unknown or not adopted device(s): {', '.join(unknown[:5])}.")
            return replace(self._with_durations(session, spec, strict=True), title=title)

    def occurrences(self, start: datetime, end: datetime, states: Iterable[str] = ("approved",),
                    extra: ScheduleSpec | None = None, exclude: int | None = None) -> list[Occurrence]:
        """Every airing in [start, end) of the schedules in ``states`` (plus ``extra``, a draft being
        edited, which replaces the stored schedule of the same id)."""
        with self._db.sessions() as session:
            m = self.membership(session)
            specs = [self._with_durations(session, _spec(r)) for r in session.scalars(
                select(Schedule).where(Schedule.state.in_(list(states))))]
            skip = {exclude, extra.id if extra is not None else None}
            specs = [s for s in specs if s.id not in skip]
            if extra is not None:
                specs.append(self._with_durations(session, extra))
            out = []
            for s in specs:
                devices = m.resolve(session, s.targets)
                dur = timedelta(milliseconds=s.duration_ms)
                for t in s.rule.between(start - dur, end):
                    out.append(Occurrence(s.id if s.id is not None else 0, s.title, t, t + dur, s.priority, devices))
        return out

    def conflicts(self, spec: ScheduleSpec, horizon_days: int = CONFLICT_HORIZON_DAYS) -> list[Conflict]:
        """Same-priority overlaps of ``spec`` with the approved and submitted schedules, from its first
        airing after now to ``horizon_days`` later."""
        start = max(self.now(), spec.rule.start)
        draft = replace(spec, id=spec.id if spec.id is not None else 0)
        occs = self.occurrences(start, start + timedelta(days=horizon_days), ("approved", "submitted"), extra=draft)
        return find_conflicts(occs, among={draft.id})

    # -- schedules: writing ---------------------------------------------------------------------

    def _history(self, session: Session, row: Schedule, action: str, before: str | None, note: str = "") -> None:
        session.add(ScheduleHistory(schedule_id=row.id, ts=now_ms(), user_name=self.user, action=action,
                                    from_state=before, to_state=row.state, note=note))

    def save(self, spec: ScheduleSpec, note: str = "") -> ScheduleSpec:
        """Create (``id`` None) or change a schedule. A change sends it back to draft: what airs is
        always what an approver saw."""
        self._check("edit")
        spec = self.validate(spec)
        fields = dict(title=spec.title, priority=spec.priority, programme=[p.as_json() for p in spec.programme],
                      targets=spec.targets.as_json(), rule=spec.rule.as_json(), vol=spec.vol, notes=spec.notes)

        def apply(session: Session) -> int:
            if spec.id is None:
                row = Schedule(state="draft", created_by=self.user, created_at=now_ms(), updated_at=now_ms(), **fields)
                session.add(row)
                session.flush()
                self._history(session, row, "create", None, note)
            else:
                row = self._row(session, spec.id)
                before = row.state
                row.state = approval.transition(before, "edit")
                for k, v in fields.items():
                    setattr(row, k, v)
                row.updated_at = now_ms()
                self._history(session, row, "edit", before, note)
            return row.id

        saved = self.get(self._write(apply))
        self._changed()
        return saved

    def move(self, schedule_id: int, rule: Rule, note: str = "") -> ScheduleSpec:
        """Change only when a schedule airs (a drag on the timeline), in one step. An approver's move
        keeps an approved schedule approved, so the devices never lose it in between; anyone else's
        sends it back for approval (submitted if they may submit, else draft). Refused with
        ConflictError, nothing saved, if it would clash."""
        self._check("edit")
        moved = self.validate(replace(self.get(schedule_id), rule=rule))
        conflicts = self.conflicts(moved)
        if conflicts:
            raise ConflictError(conflicts)

        def apply(session: Session) -> int:
            row = self._row(session, schedule_id)
            before = row.state
            if before == "approved" and approval.can(self.role, "approve"):
                row.state = "approved"
            elif before in ("approved", "submitted") and approval.can(self.role, "submit"):
                row.state = "submitted"
            else:
                row.state = approval.transition(before, "edit")
            row.rule = moved.rule.as_json()
            row.updated_at = now_ms()
            self._history(session, row, "move", before, note or f"{moved.rule.start:%Y-%m-%d %H:%M:%S}")
            return row.id

        result = self.get(self._write(apply))
        self._changed()
        return result

    def _move(self, schedule_id: int, action: str, note: str = "") -> ScheduleSpec:
        self._check(action)
        if action == "approve":
            conflicts = self.conflicts(self.get(schedule_id))
            if conflicts:
                raise ConflictError(conflicts)

        def apply(session: Session) -> int:
            row = self._row(session, schedule_id)
            before = row.state
            row.state = approval.transition(before, action, note)
            row.updated_at = now_ms()
            self._history(session, row, action, before, note)
            return row.id

        moved = self.get(self._write(apply))
        self._changed()
        return moved

    def submit(self, schedule_id: int, note: str = "") -> ScheduleSpec:
        return self._move(schedule_id, "submit", note)

    def approve(self, schedule_id: int, note: str = "") -> ScheduleSpec:
        return self._move(schedule_id, "approve", note)

    def reject(self, schedule_id: int, note: str) -> ScheduleSpec:
        return self._move(schedule_id, "reject", note)

    def archive(self, schedule_id: int, note: str = "") -> ScheduleSpec:
        return self._move(schedule_id, "archive", note)

    def add(self, spec: ScheduleSpec, note: str = "") -> ScheduleSpec:
        """Save a new schedule and take it as far through approval as the user may: an editor's is
        submitted, an approver's or admin's approved. Refused (nothing saved) on a conflict."""
        spec = self.validate(spec)
        conflicts = self.conflicts(spec)
        if conflicts:
            raise ConflictError(conflicts)
        saved = self.save(spec, note)
        if approval.can(self.role, "submit"):
            saved = self.submit(saved.id)
        if approval.can(self.role, "approve"):
            saved = self.approve(saved.id)
        return saved

    # -- plans for the devices ------------------------------------------------------------------

    def window(self, days: int, now: datetime | None = None) -> tuple[datetime, datetime]:
        """The dispatch window: from today's local midnight, ``days`` days."""
        now = now or self.now()
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, (start.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=start.tzinfo)

    def plan(self, start: datetime, end: datetime, media: Callable[[int], comp.MediaRef]) -> Plan:
        """Items per group and groups per device for the approved schedules in [start, end).
        ``media(item_id)`` gives the distribution file of an audio item (rendering it if needed)."""
        with self._db.sessions() as session:
            m = self.membership(session)
            specs = [self._with_durations(session, _spec(r)) for r in session.scalars(
                select(Schedule).where(Schedule.state == "approved").order_by(Schedule.id))]
            implicit: dict[str, set[str]] = {}
            errors: list[str] = []
            blocked: set[str] = set()
            items: dict[str, list[dict[str, Any]]] = {g: [] for g in m.groups}
            for s in specs:
                targets = list(s.targets.groups)
                for code in s.targets.units:
                    g = comp.unit_group(code)
                    implicit[g] = m.in_unit(session, code)
                    targets.append(g)
                for dev in s.targets.devices:
                    g = comp.device_group(dev)
                    implicit[g] = {dev} if dev in m.devices else set()
                    targets.append(g)
                try:
                    refs = {p.item_id: media(p.item_id) for p in s.programme if p.kind == "media"}
                except Exception as e:  # noqa: BLE001 - one bad schedule must not stop the others
                    errors.append(f"schedule {s.id} “{s.title}”: {e}")
                    blocked.update(targets)
                    continue
                dur = timedelta(milliseconds=s.duration_ms)
                occ_items = [it for t in s.rule.between(start - dur, end)
                             for it in comp.occurrence_items(s.id, t, list(s.programme), s.priority, refs, s.vol)]
                for g in targets:
                    items.setdefault(g, []).extend(occ_items)
        configs = {dev: [*gs, *standing_groups(dev, unit, m.hierarchy)] for dev, (unit, gs) in m.devices.items()}
        for g, devs in implicit.items():
            for dev in devs:
                configs[dev].append(g)
        return Plan(start, end, items, {d: sorted(set(gs)) for d, gs in configs.items()}, errors, blocked)

    def distribution(self, item_id: int, fmt: str = "mp3", bitrate_k: int = 64, lufs: float = -16.0,
                     true_peak: float = -1.0) -> dict[str, Any]:
        """The distribution file of an audio item's current revision: an existing render in this
        format and bit rate, or a new one."""
        with self._db.sessions() as session:
            item = session.get(MediaItem, item_id)
            if item is None:
                raise ScheduleError(f"There is no audio item {item_id}.")
            if not approval.schedulable(item.state):
                raise ScheduleError(f"“{item.title}” is {item.state}: only approved audio is sent to the devices.")
            render = session.scalars(
                select(MediaRender).where(MediaRender.revision_id == item.current_revision_id,
                                          MediaRender.format == fmt, MediaRender.bitrate_k == bitrate_k)
                .order_by(MediaRender.id.desc()).limit(1)).first()
            if render is not None and self.library.store.path(render.sha256) is not None:
                return {"sha256": render.sha256, "name": self.library.store.name(render.sha256, fmt),
                        "bytes": render.bytes, "duration_ms": render.duration_ms, "codec": fmt}
        d = self.library.render(item_id, fmt=fmt, bitrate_k=bitrate_k, lufs=lufs, true_peak=true_peak)
        return {k: d[k] for k in ("sha256", "name", "bytes", "duration_ms", "codec")}

    def upcoming(self, start: datetime, end: datetime, alarm_min: int = 30) -> list[dict[str, Any]]:
        """The approved occurrences in [start, end) with their readiness: how many target devices
        hold every media file of the programme (the latest render of each item's current revision),
        which do not, and ``alarm`` when it airs within ``alarm_min`` minutes and is not everywhere."""
        occs = self.occurrences(start, end)
        now = self.now()
        shas: dict[int, list[str]] = {}
        with self._db.sessions() as session:
            for sid in {o.schedule_id for o in occs}:
                spec = _spec(self._row(session, sid))
                found = []
                for p in spec.programme:
                    if p.kind == "media":
                        rev = session.scalar(select(MediaItem.current_revision_id).where(MediaItem.id == p.item_id))
                        found.append(session.scalar(select(MediaRender.sha256).where(MediaRender.revision_id == rev)
                                                    .order_by(MediaRender.id.desc()).limit(1)) or "")
                shas[sid] = found
        ready_at: dict[str, set[str]] = {sha: set() for v in shas.values() for sha in v if sha}
        if ready_at:
            with self._db.sessions() as session:
                for sha, dev in session.execute(select(MediaReadiness.sha256, MediaReadiness.device_id).where(
                        MediaReadiness.sha256.in_(list(ready_at)), MediaReadiness.state == "ready")):
                    ready_at[sha].add(dev)
        out = []
        for o in sorted(occs, key=lambda o: (o.start, o.schedule_id)):
            ready = set(o.devices)
            for sha in shas[o.schedule_id]:
                ready &= ready_at.get(sha, set())
            missing = sorted(o.devices - ready)
            out.append({"schedule": o.schedule_id, "title": o.title, "start": o.start, "end": o.end,
                        "prio": o.prio, "devices": len(o.devices), "ready": len(ready), "missing": missing,
                        "alarm": bool(missing) and o.start - now <= timedelta(minutes=alarm_min) and o.end > now})
        return out

    def readiness(self, pairs: Iterable[tuple[str, frozenset[str]]]) -> dict[str, dict[str, Any]]:
        """For (sha256, target devices) pairs: which devices hold the file, which failed and why."""
        wanted = dict(pairs)
        if not wanted:
            return {}
        with self._db.sessions() as session:
            rows = session.execute(select(MediaReadiness.sha256, MediaReadiness.device_id, MediaReadiness.state,
                                          MediaReadiness.reason).where(MediaReadiness.sha256.in_(list(wanted))))
            status: dict[str, dict[str, tuple[str, str]]] = {}
            for sha, dev, state, reason in rows:
                status.setdefault(sha, {})[dev] = (state, reason)
        out = {}
        for sha, devices in wanted.items():
            got = status.get(sha, {})
            ready = sorted(d for d in devices if got.get(d, ("",))[0] == "ready")
            failed = {d: got[d][1] for d in devices if got.get(d, ("",))[0] == "failed"}
            out[sha] = {"ready": ready, "missing": sorted(set(devices) - set(ready)), "failed": failed,
                        "total": len(devices)}
        return out


def standing_groups(dev: str, unit_id: int | None, hierarchy: Hierarchy) -> list[str]:
    """Groups every device is in, so that live and emergency broadcasts reach any target at once
    without changing configs: ``all``, its own ``d-ID``, and ``u-CODE`` of its unit and every unit
    above it (docs/live.md)."""
    groups = [ALL_GROUP, comp.device_group(dev)]
    if unit_id is not None and unit_id in hierarchy:
        groups += [comp.unit_group(u.code) for u in hierarchy.path(unit_id)]
    return groups


def spec_from_json(d: Mapping[str, Any]) -> ScheduleSpec:
    return ScheduleSpec(title=d["title"], rule=Rule.from_json(d["rule"]), targets=Targets.from_json(d["targets"]),
                        programme=tuple(Part.from_json(p) for p in d["programme"]),
                        priority=d.get("priority", "normal"), vol=d.get("vol"), notes=d.get("notes", ""),
                        id=d.get("id"))
